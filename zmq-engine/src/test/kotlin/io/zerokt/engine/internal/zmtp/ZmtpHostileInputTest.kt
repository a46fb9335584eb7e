package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.zerokt.ProtocolError
import io.zerokt.SocketType
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.ascii
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.command
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.config
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.data
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.greeting
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.hex
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.nullPeer
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.ready
import java.lang.management.ManagementFactory

/**
 * Malformed and malicious peer input: each case must end in exactly one [ZmtpEvent.Failed] with the right
 * [ProtocolError], with no event after it even when more bytes, end of stream and timeouts follow, and without
 * allocating from an untrusted size.
 */
internal class ZmtpHostileInputTest : FunSpec({
    val ok = nullPeer(SocketType.ROUTER)

    /** Feeds [input] to a DEALER (whole, then trailing junk, EOF and a late timeout) and returns every event. */
    fun feedHostile(input: ByteArray, cfg: ZmtpConfig = config(SocketType.DEALER, handshakeIvl = 1000, heartbeatIvl = 100)): List<ZmtpEvent> {
        val c = ZmtpTestWire.started(cfg)
        c.feed(input)
        c.feed(data("after") + ready(SocketType.ROUTER))
        c.handleTimeout(1_000_000)
        c.endOfInput(1_000_000)
        c.pollTimeout() shouldBe null
        return c.drainEvents()
    }

    fun expectOneFailure(events: List<ZmtpEvent>, error: ProtocolError, duringHandshake: Boolean): ZmtpEvent.Failed {
        val failed = events.last().shouldBeInstanceOf<ZmtpEvent.Failed>()
        events.count { it is ZmtpEvent.Failed } shouldBe 1
        failed.error shouldBe error
        failed.duringHandshake shouldBe duringHandshake
        return failed
    }

    val cases: List<Triple<String, ByteArray, Pair<ProtocolError, Boolean>>> = listOf(
        Triple("bad first signature octet", hex("fe") + greeting().copyOfRange(1, 64), ProtocolError.GREETING_MALFORMED to true),
        Triple("signature octet 9 without bit 0", greeting().also { it[9] = 0x7e }, ProtocolError.GREETING_MALFORMED to true),
        Triple("ZMTP 2.0 (major version 2)", greeting(major = 2), ProtocolError.GREETING_MALFORMED to true),
        Triple("ZMTP 1.0 (no signature)", hex("01 00"), ProtocolError.GREETING_MALFORMED to true),
        Triple("wrong mechanism", greeting(mechanism = "PLAIN"), ProtocolError.ZMTP_MECHANISM_MISMATCH to true),
        Triple("message frame before READY", greeting() + data("early"), ProtocolError.ZMTP_UNEXPECTED_COMMAND to true),
        Triple("PING before READY", greeting() + command("PING", hex("00 00")), ProtocolError.ZMTP_UNEXPECTED_COMMAND to true),
        Triple("READY with a truncated property", greeting() + command("READY", hex("0b") + ascii("Socket-Type") + hex("00 00 00 09") + ascii("DEAL")), ProtocolError.ZMTP_MALFORMED_COMMAND_READY to true),
        Triple("READY with an empty property name", greeting() + command("READY", hex("00 00 00 00 00")), ProtocolError.ZMTP_MALFORMED_COMMAND_READY to true),
        Triple("READY with a negative value length", greeting() + command("READY", hex("01 41 ff ff ff ff")), ProtocolError.ZMTP_MALFORMED_COMMAND_READY to true),
        Triple("READY without Socket-Type", greeting() + ready("Identity" to ByteArray(0)), ProtocolError.ZMTP_INVALID_METADATA to true),
        Triple("READY with an unknown Socket-Type", greeting() + ready("Socket-Type" to ascii("BOSS")), ProtocolError.ZMTP_INVALID_METADATA to true),
        Triple("incompatible Socket-Type", nullPeer(SocketType.PUB), ProtocolError.ZMTP_INVALID_METADATA to true),
        Triple("command without a name", greeting() + hex("04 00"), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED to true),
        Triple("command name longer than its frame", greeting() + hex("04 02 05 41"), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED to true),
        Triple("command with MORE set", greeting() + ByteArray(1) { 0x05 } + ready(SocketType.ROUTER).copyOfRange(1, ready(SocketType.ROUTER).size), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED to true),
        Triple("malformed ERROR", greeting() + command("ERROR", hex("09") + ascii("short")), ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR to true),
        Triple("handshake command over 64 KiB", greeting() + hex("06 00 00 00 00 00 01 00 01"), ProtocolError.MESSAGE_TOO_LARGE to true),
        Triple("unknown command after the handshake", ok + command("HELLOTHERE", ascii("x")), ProtocolError.UNKNOWN_COMMAND to false),
        Triple("READY again after the handshake", ok + ready(SocketType.ROUTER), ProtocolError.ZMTP_UNEXPECTED_COMMAND to false),
        Triple("command inside a multipart message", ok + data("part", more = true) + command("PING", hex("00 00")), ProtocolError.ZMTP_UNEXPECTED_COMMAND to false),
        Triple("PING without a TTL", ok + command("PING", hex("00")), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED to false),
        Triple("PING with a 17-octet context", ok + command("PING", ByteArray(19)), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED to false),
        Triple("ERROR after the handshake", ok + command("ERROR", hex("03") + ascii("bye")), ProtocolError.PEER_ERROR to false),
        Triple("long size with the top bit set", ok + hex("02 80 00 00 00 00 00 00 05"), ProtocolError.MESSAGE_TOO_LARGE to false),
        Triple("declared 2^62 octets", ok + hex("02 40 00 00 00 00 00 00 00"), ProtocolError.MESSAGE_TOO_LARGE to false),
        Triple("declared 2^31 octets", ok + hex("02 00 00 00 00 80 00 00 00"), ProtocolError.MESSAGE_TOO_LARGE to false),
        Triple("truncated greeting", greeting().copyOf(40), ProtocolError.TRUNCATED to true),
        Triple("truncated READY", greeting() + ready(SocketType.ROUTER).copyOf(10), ProtocolError.TRUNCATED to true),
        Triple("truncated frame", ok + hex("00 10 41 41"), ProtocolError.TRUNCATED to false),
        Triple("truncated long size", ok + hex("02 00 00"), ProtocolError.TRUNCATED to false),
        Triple("truncated multipart message", ok + data("first", more = true), ProtocolError.TRUNCATED to false),
    )

    for ((name, input, expected) in cases) {
        test("$name fails with ${expected.first}") {
            val events = if (expected.first == ProtocolError.TRUNCATED) {
                val c = ZmtpTestWire.started(config(SocketType.DEALER))
                c.feed(input)
                c.endOfInput(0)
                c.handleTimeout(1_000_000)
                c.drainEvents()
            } else {
                feedHostile(input)
            }
            expectOneFailure(events, expected.first, expected.second)
            if (!expected.second) events.first().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>()
        }
    }

    test("a bad signature fails on its first octet, without waiting for the rest of the greeting") {
        val c = ZmtpTestWire.started(config(SocketType.DEALER))
        c.feed(hex("00"))
        expectOneFailure(c.drainEvents(), ProtocolError.GREETING_MALFORMED, true)
    }

    test("a major version 2 fails at octet 10, and a wrong mechanism at octet 31") {
        val c = ZmtpTestWire.started(config(SocketType.DEALER))
        c.feed(greeting(major = 2).copyOf(11))
        expectOneFailure(c.drainEvents(), ProtocolError.GREETING_MALFORMED, true)
        val d = ZmtpTestWire.started(config(SocketType.DEALER))
        d.feed(greeting(mechanism = "CURVE").copyOf(32))
        expectOneFailure(d.drainEvents(), ProtocolError.ZMTP_MECHANISM_MISMATCH, true)
    }

    test("greeting failures send no ERROR; handshake failures send one") {
        val g = ZmtpTestWire.started(config(SocketType.DEALER))
        g.output()
        g.feed(greeting(mechanism = "PLAIN"))
        g.output().size shouldBe 0
        val h = ZmtpTestWire.started(config(SocketType.DEALER))
        h.output()
        h.feed(greeting() + data("early"))
        String(h.output(), Charsets.ISO_8859_1).contains("\u0005ERROR") shouldBe true
    }

    test("a frame over maxMessageSize fails at its header, before its body is allocated") {
        val bean = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
        val c = ZmtpTestWire.started(config(SocketType.DEALER, maxMessageSize = 1024))
        c.feed(ok)
        c.drainEvents()
        val header = hex("02 00 00 00 00 40 00 00 00") // 1 GiB declared
        val before = bean.getThreadAllocatedBytes(Thread.currentThread().id)
        c.feed(header)
        val allocated = bean.getThreadAllocatedBytes(Thread.currentThread().id) - before
        allocated shouldBeLessThan 1_000_000L
        expectOneFailure(c.drainEvents(), ProtocolError.MESSAGE_TOO_LARGE, false)
    }

    test("a frame of exactly maxMessageSize is accepted, one octet more is not") {
        val c = ZmtpTestWire.started(config(SocketType.DEALER, maxMessageSize = 300))
        c.feed(ok + data(ByteArray(300)))
        c.drainEvents().last().shouldBeInstanceOf<ZmtpEvent.MessageReceived>()
        c.feed(data(ByteArray(301)))
        expectOneFailure(c.drainEvents(), ProtocolError.MESSAGE_TOO_LARGE, false)
    }

    test("messages decoded before the failure are still reported, in order, before it") {
        val events = feedHostile(ok + data("good") + command("NOPE"))
        events.map { it.describe() }.drop(1) shouldBe listOf("Message(676f6f64)", "Failed(UNKNOWN_COMMAND, false)")
    }

    test("random garbage after a valid handshake never throws and fails at most once") {
        val random = kotlin.random.Random(7)
        repeat(2000) {
            val c = ZmtpTestWire.started(config(SocketType.DEALER, maxMessageSize = 4096))
            c.feed(ok)
            val junk = ByteArray(random.nextInt(1, 64)).also { random.nextBytes(it) }
            c.feed(junk)
            c.endOfInput(0)
            val events = c.drainEvents()
            events.count { it is ZmtpEvent.Failed } shouldBe (if (events.last() is ZmtpEvent.Failed) 1 else 0)
        }
    }
})
