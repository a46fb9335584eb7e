package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.zerokt.ProtocolError
import io.zerokt.SocketType
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.config

/**
 * Heartbeats (RFC 37 "Connection Heartbeating", with libzmq's ivl/timeout/ttl semantics) and the handshake deadline,
 * on [ZmtpPair]'s virtual clock.
 */
internal class ZmtpTimersTest : FunSpec({
    fun failureOf(events: List<ZmtpEvent>) = events.filterIsInstance<ZmtpEvent.Failed>()

    test("a handshake that does not finish within handshakeIvl fails with HANDSHAKE_TIMEOUT") {
        val pair = ZmtpPair(config(SocketType.DEALER, handshakeIvl = 5000), config(SocketType.ROUTER), startMillis = 100)
        pair.bToA = false
        pair.start()
        pair.a.pollTimeout() shouldBe 5100L
        pair.advanceTo(5099)
        pair.aEvents.shouldBeEmpty()
        pair.advanceTo(5100)
        val f = pair.aEvents.single().shouldBeInstanceOf<ZmtpEvent.Failed>()
        f.error shouldBe ProtocolError.HANDSHAKE_TIMEOUT
        f.duringHandshake shouldBe true
        pair.a.pollTimeout() shouldBe null
    }

    test("a finished handshake disarms the handshake deadline") {
        val pair = ZmtpPair(config(SocketType.DEALER, handshakeIvl = 5000), config(SocketType.ROUTER)).start()
        pair.a.pollTimeout() shouldBe null
        pair.advanceTo(60_000)
        failureOf(pair.aEvents).shouldBeEmpty()
    }

    test("two live peers ping each other forever without failing") {
        val pair = ZmtpPair(
            config(SocketType.DEALER, heartbeatIvl = 1000, heartbeatTtl = 3000),
            config(SocketType.ROUTER, heartbeatIvl = 700),
        ).start()
        pair.a.pollTimeout() shouldBe 1000L
        pair.advanceTo(100_000)
        failureOf(pair.aEvents).shouldBeEmpty()
        failureOf(pair.bEvents).shouldBeEmpty()
        // greeting, READY, 100 PINGs from A (9 octets each) and 142 PONGs (7 octets) answering B's PINGs
        pair.bytesAToB shouldBe 64 + 43 + 100 * 9L + 142 * 7L
    }

    test("after our PING, silence for heartbeatTimeout fails with HEARTBEAT_TIMEOUT") {
        val pair = ZmtpPair(config(SocketType.DEALER, heartbeatIvl = 1000, heartbeatTimeout = 2500), config(SocketType.ROUTER)).start()
        pair.bToA = false
        pair.advanceTo(3499)
        failureOf(pair.aEvents).shouldBeEmpty()
        pair.advanceTo(3500)
        val f = failureOf(pair.aEvents).single()
        f.error shouldBe ProtocolError.HEARTBEAT_TIMEOUT
        f.duringHandshake shouldBe false
    }

    test("the heartbeat timeout defaults to the interval") {
        val pair = ZmtpPair(config(SocketType.DEALER, heartbeatIvl = 1000), config(SocketType.ROUTER)).start()
        pair.bToA = false
        pair.advanceTo(1999)
        failureOf(pair.aEvents).shouldBeEmpty()
        pair.advanceTo(2000)
        failureOf(pair.aEvents).single().error shouldBe ProtocolError.HEARTBEAT_TIMEOUT
    }

    test("any traffic, not only a PONG, keeps the connection alive") {
        val pair = ZmtpPair(config(SocketType.DEALER, heartbeatIvl = 1000), config(SocketType.ROUTER)).start()
        pair.bToA = false
        pair.advanceTo(1500)
        pair.bToA = true
        pair.sendFromB(io.zerokt.Message("alive"))
        pair.bToA = false
        pair.advanceTo(2500)
        failureOf(pair.aEvents).shouldBeEmpty()
        pair.advanceTo(3000) // PING sent at 2000 (timeout armed) -> silent until 3000
        failureOf(pair.aEvents).single().error shouldBe ProtocolError.HEARTBEAT_TIMEOUT
    }

    test("a received PING with a TTL fails the receiver when nothing follows within the TTL") {
        val pair = ZmtpPair(
            config(SocketType.DEALER, heartbeatIvl = 1000, heartbeatTtl = 3000, heartbeatTimeout = 1_000_000),
            config(SocketType.ROUTER),
        ).start()
        pair.advanceTo(1000) // A's first PING reaches B: TTL armed until 4000
        pair.aToB = false
        pair.b.pollTimeout() shouldBe 4000L
        pair.advanceTo(3999)
        failureOf(pair.bEvents).shouldBeEmpty()
        pair.advanceTo(4000)
        failureOf(pair.bEvents).single().error shouldBe ProtocolError.HEARTBEAT_TIMEOUT
        failureOf(pair.aEvents).shouldBeEmpty()
    }

    test("a PING with TTL 0 arms nothing on the receiver") {
        val pair = ZmtpPair(config(SocketType.DEALER, heartbeatIvl = 1000, heartbeatTimeout = 1_000_000), config(SocketType.ROUTER)).start()
        pair.advanceTo(1000)
        pair.aToB = false
        pair.b.pollTimeout() shouldBe null
        pair.advanceTo(100_000)
        failureOf(pair.bEvents).shouldBeEmpty()
    }

    test("no PING is sent to a ZMTP 3.0 peer") {
        val c = ZmtpTestWire.started(config(SocketType.DEALER, heartbeatIvl = 1000))
        c.feed(ZmtpTestWire.nullPeer(SocketType.ROUTER, minor = 0))
        c.drainEvents().single().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        c.output()
        c.pollTimeout() shouldBe null
        c.handleTimeout(10_000)
        c.output().size shouldBe 0
    }
})
