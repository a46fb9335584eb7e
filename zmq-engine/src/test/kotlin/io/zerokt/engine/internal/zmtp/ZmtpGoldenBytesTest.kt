package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.ProtocolError
import io.zerokt.SocketType
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.ascii
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.config
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.handshaken
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.hex
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.started

/**
 * Encoder and decoder output checked against byte sequences written out from RFC 23 and RFC 37 (the grammar and
 * the "Worked Example"). Split input, hostile input and timers have their own test classes.
 */
internal class ZmtpGoldenBytesTest : FunSpec({
    val rfcDealerReady = hex(
        "04 29" + "05 52 45 41 44 59" +
            "0b 53 6f 63 6b 65 74 2d 54 79 70 65" + "00 00 00 06 44 45 41 4c 45 52" +
            "08 49 64 65 6e 74 69 74 79" + "00 00 00 00",
    )
    val rfcRouterReady = hex(
        "04 1c" + "05 52 45 41 44 59" +
            "0b 53 6f 63 6b 65 74 2d 54 79 70 65" + "00 00 00 06 52 4f 55 54 45 52",
    )

    test("our greeting is signature, version 3.1, NULL, as-server 0 and 31 zero octets") {
        val expected = hex("ff 00 00 00 00 00 00 00 00 7f 03 01") + ascii("NULL") + ByteArray(16) + byteArrayOf(0) + ByteArray(31)
        started(config(SocketType.DEALER)).output() shouldBe expected
        expected.size shouldBe 64
    }

    test("NULL sends as-server 0 even when the socket is configured as server") {
        val c = ZmtpConnection(
            ZmtpConfig(SocketType.REP, null, true, NullMechanismFactory, -1, 0, 0, -1, 0),
        ).also { it.start(0) }
        c.output()[32] shouldBe 0.toByte()
    }

    test("a DEALER's READY after the greeting is the RFC 37 worked example byte for byte") {
        val c = started(config(SocketType.DEALER))
        c.output()
        c.feed(ZmtpTestWire.greeting())
        c.output() shouldBe rfcDealerReady
    }

    test("the RFC's ROUTER READY completes a DEALER's handshake") {
        val c = started(config(SocketType.DEALER))
        c.feed(ZmtpTestWire.greeting() + rfcRouterReady)
        val e = c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        e.peerSocketType shouldBe SocketType.ROUTER
        e.peerRoutingId shouldBe null
        e.peerMinorVersion shouldBe 1
        c.isHandshakeComplete shouldBe true
    }

    test("the RFC's DEALER READY gives a ROUTER no routing id (empty Identity), metadata names ignore case") {
        val c = started(config(SocketType.ROUTER))
        c.feed(ZmtpTestWire.greeting() + rfcDealerReady)
        val e = c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        e.peerSocketType shouldBe SocketType.DEALER
        e.peerRoutingId shouldBe null
        e.metadata["socket-type"]!!.decodeToString() shouldBe "DEALER"
    }

    test("READY carries Identity for REQ and extra metadata after it") {
        val c = started(config(SocketType.REQ, routingId = ascii("me"), extra = mapOf("X-App" to ascii("z"))))
        c.output()
        c.feed(ZmtpTestWire.greeting())
        c.output() shouldBe ZmtpTestWire.command(
            "READY",
            ZmtpTestWire.metadata("Socket-Type" to ascii("REQ"), "Identity" to ascii("me"), "X-App" to ascii("z")),
        )
    }

    test("a peer's Identity becomes the routing id") {
        val c = started(config(SocketType.ROUTER))
        c.feed(ZmtpTestWire.greeting() + ZmtpTestWire.ready("Socket-Type" to ascii("REQ"), "Identity" to ascii("abc")))
        val e = c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        e.peerRoutingId!!.decodeToString() shouldBe "abc"
    }

    test("a short frame is flags 0, one size octet and the body") {
        val c = handshaken(config(SocketType.DEALER), SocketType.ROUTER)
        val out = OutputBuffer(16)
        c.encodeMessage(Message("hello"), out)
        out.toByteArray() shouldBe hex("00 05") + ascii("hello")
    }

    test("a 256-octet frame uses the long form with an 8-octet big-endian size") {
        val c = handshaken(config(SocketType.DEALER), SocketType.ROUTER)
        val body = ByteArray(256) { it.toByte() }
        val out = OutputBuffer(16)
        c.encodeMessage(Message.of(Frame.wrap(body)), out)
        out.toByteArray() shouldBe hex("02 00 00 00 00 00 00 01 00") + body
    }

    test("a 255-octet frame still uses the short form") {
        val c = handshaken(config(SocketType.DEALER), SocketType.ROUTER)
        val out = OutputBuffer(16)
        c.encodeMessage(Message.of(Frame.wrap(ByteArray(255))), out)
        out.toByteArray().copyOf(2) shouldBe hex("00 ff")
        out.size shouldBe 257
    }

    test("every frame but the last has MORE, including empty frames") {
        val c = handshaken(config(SocketType.DEALER), SocketType.ROUTER)
        val out = OutputBuffer(16)
        c.encodeMessage(Message(Frame.of("a"), Frame.EMPTY, Frame.of("b")), out)
        out.toByteArray() shouldBe hex("01 01 61 01 00 00 01 62")
    }

    test("short, long and MORE frames decode into one message") {
        val c = handshaken(config(SocketType.DEALER), SocketType.ROUTER)
        c.feed(hex("01 01 61") + hex("03 00 00 00 00 00 00 00 02 62 63") + hex("00 00"))
        val m = c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.MessageReceived>().message
        m.frames shouldBe listOf(Frame.of("a"), Frame.of("bc"), Frame.EMPTY)
    }

    test("SUBSCRIBE and CANCEL commands go to a 3.1 peer") {
        val c = handshaken(config(SocketType.SUB), SocketType.PUB)
        val out = OutputBuffer(16)
        c.encodeSubscription(ascii("topic"), true, out)
        c.encodeSubscription(ascii("topic"), false, out)
        out.toByteArray() shouldBe hex("04 0f 09") + ascii("SUBSCRIBEtopic") + hex("04 0c 06") + ascii("CANCELtopic")
    }

    test("a 3.0 peer gets the message form: \\x01topic and \\x00topic") {
        val c = handshaken(config(SocketType.SUB), SocketType.PUB, minor = 0)
        c.peerMinorVersion shouldBe 0
        val out = OutputBuffer(16)
        c.encodeSubscription(ascii("topic"), true, out)
        c.encodeSubscription(ascii("topic"), false, out)
        out.toByteArray() shouldBe hex("00 06 01") + ascii("topic") + hex("00 06 00") + ascii("topic")
    }

    test("received SUBSCRIBE and CANCEL commands become events") {
        val c = handshaken(config(SocketType.PUB), SocketType.SUB)
        c.feed(hex("04 0d 09") + ascii("SUBSCRIBEabc") + hex("04 07 06") + ascii("CANCEL") + hex("04 0a 09") + ascii("SUBSCRIBE"))
        c.drainEvents().map { it.describe() } shouldBe listOf("Subscribe(616263)", "Cancel()", "Subscribe()")
    }

    test("a PING is answered by a PONG echoing its context") {
        val c = handshaken(config(SocketType.DEALER), SocketType.ROUTER)
        c.feed(hex("04 09 04") + ascii("PING") + hex("00 00") + ascii("xy"))
        c.drainEvents() shouldHaveSize 0
        c.output() shouldBe hex("04 07 04") + ascii("PONG") + ascii("xy")
    }

    test("our PING carries the TTL in tenths of a second and an empty context") {
        val c = ZmtpConnection(config(SocketType.DEALER, heartbeatIvl = 1000, heartbeatTtl = 2500)).also { it.start(0) }
        c.feed(ZmtpTestWire.nullPeer(SocketType.ROUTER))
        c.drainEvents()
        c.output()
        c.pollTimeout() shouldBe 1000L
        c.handleTimeout(1000)
        c.output() shouldBe hex("04 07 04") + ascii("PING") + hex("00 19")
    }

    test("an incompatible peer gets an ERROR command after our READY") {
        val c = started(config(SocketType.PUB))
        c.output()
        c.feed(ZmtpTestWire.nullPeer(SocketType.PULL))
        val f = c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.Failed>()
        f.error shouldBe ProtocolError.ZMTP_INVALID_METADATA
        val reason = ascii("PUB does not accept PULL peers")
        val readyLen = 2 + 0x19
        val out = c.output()
        out.copyOfRange(readyLen, out.size) shouldBe hex("04") + byteArrayOf((7 + reason.size).toByte()) + hex("05") + ascii("ERROR") +
            byteArrayOf(reason.size.toByte()) + reason
    }

    test("a peer's ERROR fails the connection with its reason") {
        val c = started(config(SocketType.DEALER))
        c.feed(ZmtpTestWire.greeting() + hex("04 0b 05") + ascii("ERROR") + hex("04") + ascii("nope"))
        val f = c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.Failed>()
        f.error shouldBe ProtocolError.PEER_ERROR
        f.reason shouldBe "peer sent ERROR: nope"
        f.duringHandshake shouldBe true
        c.output().size shouldBe 64 + 2 + 0x29 // greeting + READY, no ERROR echoed back
    }
})
