package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.ProtocolError
import io.zerokt.SocketType
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.ascii
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.config

/**
 * Two connections talking through [ZmtpPair]: the NULL handshake, socket-type checks, and messages in both
 * directions. Byte-exact encodings are in [ZmtpGoldenBytesTest].
 */
internal class ZmtpHandshakeTest : FunSpec({
    test("compatible types complete the NULL handshake on both sides") {
        val pair = ZmtpPair(config(SocketType.DEALER, routingId = ascii("d1")), config(SocketType.ROUTER)).start()
        val a = pair.aEvents.single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        val b = pair.bEvents.single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        a.peerSocketType shouldBe SocketType.ROUTER
        b.peerSocketType shouldBe SocketType.DEALER
        b.peerRoutingId!!.decodeToString() shouldBe "d1"
        a.peerMinorVersion shouldBe 1
        pair.a.isHandshakeComplete shouldBe true
        pair.b.isHandshakeComplete shouldBe true
        pair.a.pollTimeout() shouldBe null
    }

    test("every compatible pair of socket types shakes hands and every incompatible pair fails on both sides") {
        for (x in SocketType.entries) for (y in SocketType.entries) {
            val pair = ZmtpPair(config(x), config(y)).start()
            if (x.isCompatibleWith(y)) {
                pair.aEvents.single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
                pair.bEvents.single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
            } else {
                val fa = pair.aEvents.single().shouldBeInstanceOf<ZmtpEvent.Failed>()
                val fb = pair.bEvents.single().shouldBeInstanceOf<ZmtpEvent.Failed>()
                fa.error shouldBe ProtocolError.ZMTP_INVALID_METADATA
                fb.error shouldBe ProtocolError.ZMTP_INVALID_METADATA
                fa.duringHandshake shouldBe true
                pair.a.isFailed shouldBe true
            }
        }
    }

    test("multipart messages round-trip in both directions, in order, with empty and long frames") {
        val pair = ZmtpPair(config(SocketType.DEALER), config(SocketType.ROUTER)).start()
        pair.aEvents.clear()
        pair.bEvents.clear()
        val big = ByteArray(100_000) { (it * 7).toByte() }
        val m1 = Message(Frame.of("a"), Frame.EMPTY, Frame.wrap(big), Frame.of("z"))
        val m2 = Message("single")
        pair.sendFromA(m1)
        pair.sendFromA(m2)
        pair.sendFromB(m2)
        pair.bEvents.map { (it as ZmtpEvent.MessageReceived).message } shouldBe listOf(m1, m2)
        pair.aEvents.map { (it as ZmtpEvent.MessageReceived).message } shouldBe listOf(m2)
    }

    test("messages survive a link that delivers one byte at a time") {
        val pair = ZmtpPair(config(SocketType.PUSH), config(SocketType.PULL))
        pair.chunk = 1
        pair.start()
        pair.bEvents.single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        val m = Message(Frame.of("k"), Frame.wrap(ByteArray(300) { 1 }))
        pair.sendFromA(m)
        (pair.bEvents.last() as ZmtpEvent.MessageReceived).message shouldBe m
    }

    test("subscriptions from a SUB reach a PUB as events") {
        val pair = ZmtpPair(config(SocketType.SUB), config(SocketType.PUB)).start()
        pair.bEvents.clear()
        pair.subscribeFromA(ascii("news"))
        pair.subscribeFromA(ascii("news"), subscribe = false)
        pair.bEvents.map { it.describe() } shouldBe listOf("Subscribe(6e657773)", "Cancel(6e657773)")
    }

    test("a 3.0 peer is accepted and reported as minor version 0") {
        val c = ZmtpTestWire.started(config(SocketType.SUB))
        c.feed(ZmtpTestWire.nullPeer(SocketType.PUB, minor = 0))
        c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>().peerMinorVersion shouldBe 0
    }

    test("a higher version (3.2, 4.0) is accepted as 3.1") {
        for ((major, minor) in listOf(3 to 2, 4 to 0)) {
            val c = ZmtpTestWire.started(config(SocketType.SUB))
            c.feed(ZmtpTestWire.greeting(major, minor) + ZmtpTestWire.ready(SocketType.PUB))
            c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>().peerMinorVersion shouldBe 1
        }
    }

    test("the Identity of a non-REQ/DEALER/ROUTER peer is ignored") {
        val c = ZmtpTestWire.started(config(SocketType.PULL))
        c.feed(ZmtpTestWire.greeting() + ZmtpTestWire.ready("Socket-Type" to ascii("PUSH"), "Identity" to ascii("x")))
        c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>().peerRoutingId shouldBe null
    }

    test("encoding before the handshake is a driver bug") {
        val c = ZmtpTestWire.started(config(SocketType.DEALER))
        runCatching { c.encodeMessage(Message("x"), OutputBuffer()) }.exceptionOrNull().shouldBeInstanceOf<IllegalStateException>()
        c.drainEvents().shouldBeEmpty()
    }

    test("protocol output pending when a message is encoded is written first") {
        val c = ZmtpTestWire.started(config(SocketType.DEALER))
        c.output()
        c.feed(ZmtpTestWire.nullPeer(SocketType.ROUTER))
        c.drainEvents()
        val out = OutputBuffer()
        c.encodeMessage(Message("m"), out)
        val bytes = out.toByteArray()
        bytes.copyOfRange(0, 3) shouldBe ZmtpTestWire.hex("04 29 05")
        bytes.copyOfRange(bytes.size - 3, bytes.size) shouldBe ZmtpTestWire.hex("00 01 6d")
    }

    test("a clean end of stream between messages reports nothing") {
        val c = ZmtpTestWire.handshaken(config(SocketType.DEALER), SocketType.ROUTER)
        c.endOfInput(0)
        c.drainEvents().shouldBeEmpty()
        c.isFailed shouldBe false
    }
})
