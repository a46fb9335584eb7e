package io.zerokt.engine.security

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.zerokt.ProtocolError
import io.zerokt.SocketType
import io.zerokt.engine.internal.security.PlainMechanismFactory
import io.zerokt.engine.internal.zmtp.ZmtpTestWire
import io.zerokt.engine.spi.MechanismSession
import io.zerokt.engine.spi.MechanismStatus
import io.zerokt.engine.spi.OutputBuffer
import io.zerokt.engine.spi.ReceivedCommand
import io.zerokt.engine.spi.ZapReply
import io.zerokt.engine.spi.ZmtpProtocolException
import io.kotest.assertions.throwables.shouldThrow

/**
 * PLAIN's commands byte for byte (RFC 24 "Formal Grammar"), driven through the mechanisms without sockets: what
 * the client writes, how the server parses HELLO, asks ZAP and answers.
 */
class PlainCodecTest : FunSpec({
    fun session(type: SocketType, server: Boolean) = MechanismSession(type, null, server, !server, 1)
    fun body(out: OutputBuffer): ByteArray {
        // Strip the frame header (flags, 1-octet size) of one short command.
        val b = out.toByteArray()
        b[0] shouldBe 0x04.toByte()
        (b[1].toInt() and 0xFF) shouldBe b.size - 2
        return b.copyOfRange(2, b.size)
    }
    val accepted = ZapReply("200", "OK", "admin".encodeToByteArray(), emptyMap())

    test("the client's HELLO is %x05 HELLO, then username and password each behind a length octet") {
        val client = PlainMechanismFactory(false, "admin".encodeToByteArray(), "secret".encodeToByteArray()).create(session(SocketType.DEALER, false))
        val out = OutputBuffer(0)
        client.start(out)
        out.toByteArray() shouldBe ZmtpTestWire.hex("04 13 05 48454c4c4f 05 61646d696e 06 736563726574")
    }

    test("after WELCOME the client sends INITIATE with its metadata, and READY completes it") {
        val client = PlainMechanismFactory(false, ByteArray(0), ByteArray(0)).create(session(SocketType.PUSH, false))
        client.start(OutputBuffer(0))
        val out = OutputBuffer(0)
        client.onCommand(ReceivedCommand(ZmtpTestWire.hex("07 57454c434f4d45")), out) shouldBe MechanismStatus.InProgress
        body(out) shouldBe ZmtpTestWire.hex("08 494e495449415445 0b 536f636b65742d54797065 00000004 50555348")
        val done = client.onCommand(ReceivedCommand(ZmtpTestWire.hex("05 5245414459 0b 536f636b65742d54797065 00000004 50554c4c")), OutputBuffer(0))
        done.shouldBeInstanceOf<MechanismStatus.Done>().peerMetadata["socket-type"]!!.decodeToString() shouldBe "PULL"
    }

    test("the server asks ZAP with the credentials, sends WELCOME on 200 and READY after INITIATE, keeping the User-Id") {
        val server = PlainMechanismFactory(true, ByteArray(0), ByteArray(0)).create(session(SocketType.PULL, true))
        server.start(OutputBuffer(0)) shouldBe MechanismStatus.InProgress
        val ask = server.onCommand(ReceivedCommand(ZmtpTestWire.hex("05 48454c4c4f 05 61646d696e 06 736563726574")), OutputBuffer(0))
        val request = ask.shouldBeInstanceOf<MechanismStatus.AwaitingVerdict>().request
        request.mechanism shouldBe "PLAIN"
        request.credentials.map { it.decodeToString() } shouldBe listOf("admin", "secret")
        request.toString().contains("secret") shouldBe false
        val out = OutputBuffer(0)
        server.onVerdict(accepted, out) shouldBe MechanismStatus.InProgress
        out.toByteArray() shouldBe ZmtpTestWire.hex("04 08 07 57454c434f4d45")
        val ready = OutputBuffer(0)
        val done = server.onCommand(ReceivedCommand(ZmtpTestWire.hex("08 494e495449415445 0b 536f636b65742d54797065 00000004 50555348")), ready)
        done.shouldBeInstanceOf<MechanismStatus.Done>().userId!!.decodeToString() shouldBe "admin"
        body(ready) shouldBe ZmtpTestWire.hex("05 5245414459 0b 536f636b65742d54797065 00000004 50554c4c")
    }

    test("a refused ZAP verdict makes the server send ERROR with the status code and fail with it") {
        val server = PlainMechanismFactory(true, ByteArray(0), ByteArray(0)).create(session(SocketType.PULL, true))
        server.onCommand(ReceivedCommand(ZmtpTestWire.hex("05 48454c4c4f 00 00")), OutputBuffer(0))
        val out = OutputBuffer(0)
        val failed = server.onVerdict(ZapReply("400", "No", ByteArray(0), emptyMap()), out).shouldBeInstanceOf<MechanismStatus.Failed>()
        failed.authStatusCode shouldBe 400
        out.toByteArray() shouldBe ZmtpTestWire.hex("04 0a 05 4552524f52 03 343030")
    }

    test("a malformed HELLO (truncated password, trailing octets) fails with ZMTP_MALFORMED_COMMAND_HELLO") {
        for (hex in listOf("05 48454c4c4f", "05 48454c4c4f 05 61646d", "05 48454c4c4f 01 61 05 6162", "05 48454c4c4f 00 00 ff")) {
            val server = PlainMechanismFactory(true, ByteArray(0), ByteArray(0)).create(session(SocketType.PULL, true))
            shouldThrow<ZmtpProtocolException> { server.onCommand(ReceivedCommand(ZmtpTestWire.hex(hex)), OutputBuffer(0)) }
                .error shouldBe ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO
        }
    }

    test("a command other than HELLO first fails with ZMTP_UNEXPECTED_COMMAND") {
        val server = PlainMechanismFactory(true, ByteArray(0), ByteArray(0)).create(session(SocketType.PULL, true))
        server.onCommand(ReceivedCommand(ZmtpTestWire.hex("05 5245414459")), OutputBuffer(0))
            .shouldBeInstanceOf<MechanismStatus.Failed>().error shouldBe ProtocolError.ZMTP_UNEXPECTED_COMMAND
    }

    test("libzmq 4.3's malformed PLAIN ERROR (0x5E RROR, its hex escape ate the E) is read as the ERROR it means") {
        io.zerokt.engine.internal.zmtp.LibzmqQuirks.brokenErrorReason(ZmtpTestWire.hex("5e52524f5203343030")) shouldBe "400"
        io.zerokt.engine.internal.zmtp.LibzmqQuirks.brokenErrorReason(ZmtpTestWire.hex("054552524f5203343030")) shouldBe null
        io.zerokt.engine.internal.zmtp.LibzmqQuirks.brokenErrorReason(ZmtpTestWire.hex("5e52524f5205343030")) shouldBe null
    }
})
