package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.assertions.withClue
import io.kotest.matchers.shouldBe
import io.netty.buffer.PooledByteBufAllocator
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.testing.RawZmtpPeer
import io.zerokt.testing.ResourceCounts
import io.zerokt.testing.Zmtp
import io.zerokt.testing.awaitResourcesBackTo
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * No leaked fd, thread or Netty buffer: 10,000 io_uring connect/disconnect cycles, 2,000 more with zero-copy sends
 * and multishot receives, peers that reset the connection in the middle of a frame, and contexts closed over and over
 * (which must never hang).
 */
class UringLeakTest : FunSpec({
    timeout = 400_000

    test("the leak detector SHALL see a buffer that was never released (self-check)") {
        val before = NettyLeaks.count
        @Suppress("UNUSED_VARIABLE")
        var lost: Any? = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeInt(1)
        lost = null
        NettyLeaks.collect()
        (NettyLeaks.count > before) shouldBe true
    }

    /**
     * Runs [cycle] [warmUp] times, then [cycles] times more, and checks that no fd, thread (beyond pool slack) or
     * Netty buffer is left over from the second run.
     */
    suspend fun cyclesLeaveNothing(warmUp: Int, cycles: Int, cycle: suspend (Int) -> Unit) {
        repeat(warmUp) { cycle(it) }
        NettyLeaks.collect()
        val leaksBefore = NettyLeaks.count
        val baseline = ResourceCounts.current()
        repeat(cycles) { cycle(it) }
        awaitResourcesBackTo(baseline, threadSlack = 4, fdSlack = 0, timeout = 30.seconds)
        NettyLeaks.collect()
        withClue(NettyLeaks.reports) { NettyLeaks.count shouldBe leaksBefore }
    }

    /**
     * A PUSH connecting to a bound PULL, both io_uring ([pushSetup] and [pullSetup] add to that), sending one message
     * and disconnecting, [warmUp] then [cycles] times: nothing may be left behind ([cyclesLeaveNothing]).
     */
    suspend fun connectCyclesLeaveNothing(
        warmUp: Int,
        cycles: Int,
        pullSetup: Socket.() -> Unit = {},
        pushSetup: Socket.() -> Unit = {},
    ) {
        Context().use { ctx ->
            val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true; pullSetup() }
            val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = true; pushSetup() }
            pull.bind("tcp://127.0.0.1:*")
            val endpoint = pull.lastEndpoint!!
            cyclesLeaveNothing(warmUp, cycles) { i ->
                push.connect(endpoint)
                push.send(Message("m$i"))
                pull.receive().decodeToString() shouldBe "m$i"
                push.disconnect(endpoint)
            }
        }
    }

    test("10,000 io_uring connect/disconnect cycles SHALL leave no fd, thread or buffer behind") {
        withTimeout(300.seconds) { connectCyclesLeaveNothing(warmUp = 200, cycles = 10_000) }
    }

    test("2,000 connect/disconnect cycles with zero-copy sends and multishot receives SHALL leave no fd, thread or buffer behind") {
        // Every send is a SEND_ZC (threshold 0), whose buffer waits for the kernel's notification after the close;
        // forced on loopback, where a context's transport would not use them (read when the context makes it).
        val before = System.setProperty(UringSettings.ZERO_COPY_LOOPBACK_PROPERTY, "true")
        try {
            withTimeout(120.seconds) {
                connectCyclesLeaveNothing(
                    warmUp = 100,
                    cycles = 2_000,
                    pullSetup = { ioUringMultishot = true },
                    pushSetup = { ioUringSendZeroCopyThreshold = 0 },
                )
            }
        } finally {
            if (before == null) {
                System.clearProperty(UringSettings.ZERO_COPY_LOOPBACK_PROPERTY)
            } else {
                System.setProperty(UringSettings.ZERO_COPY_LOOPBACK_PROPERTY, before)
            }
        }
    }

    test("1,000 io_uring REQ/REP connect/disconnect cycles SHALL close every duplicated descriptor") {
        // REQ and REP write directly on a duplicate of each connection's descriptor (UringStream.writeNow).
        withTimeout(120.seconds) {
            Context().use { ctx ->
                val rep = ctx.socket(SocketType.REP).apply { linger = 0; ioUring = true }
                rep.bind("tcp://127.0.0.1:*")
                val endpoint = rep.lastEndpoint!!
                suspend fun cycle(i: Int) {
                    val req = ctx.socket(SocketType.REQ).apply { linger = 0; ioUring = true }
                    req.connect(endpoint)
                    req.send(Message("q$i"))
                    rep.receive().decodeToString() shouldBe "q$i"
                    rep.send(Message("r$i"))
                    req.receive().decodeToString() shouldBe "r$i"
                    req.close()
                }
                cyclesLeaveNothing(warmUp = 50, cycles = 1_000) { cycle(it) }
            }
        }
    }

    test("peers that reset the connection in the middle of a frame SHALL be dropped without leaks") {
        withTimeout(120.seconds) {
            Context().use { ctx ->
                coroutineScope {
                    val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true; ioUringMultishot = true }
                    pull.bind("tcp://127.0.0.1:*")
                    val endpoint = pull.lastEndpoint!!
                    val events = recordEvents(pull.monitor())
                    NettyLeaks.collect()
                    val leaksBefore = NettyLeaks.count
                    val baseline = ResourceCounts.current()
                    repeat(300) { i ->
                        withContext(Dispatchers.IO) {
                            RawZmtpPeer.connect(endpoint).use { raw ->
                                raw.write(Zmtp.greeting())
                                raw.readExactly(64)
                                raw.write(Zmtp.readyCommand("PUSH"))
                                // A frame that promises 1,000 bytes, then the connection is reset after 10 of them.
                                raw.write(Zmtp.frameHeader(0, 1000) + ByteArray(10) { i.toByte() })
                                raw.abort()
                            }
                        }
                    }
                    events.await(MonitorEventType.DISCONNECTED)
                    val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = true }
                    push.connect(endpoint)
                    push.send(Message("still serving"))
                    pull.receive().decodeToString() shouldBe "still serving"
                    push.close()
                    events.close()
                    awaitResourcesBackTo(baseline, threadSlack = 4, fdSlack = 2, timeout = 30.seconds)
                    NettyLeaks.collect()
                    withClue(NettyLeaks.reports) { NettyLeaks.count shouldBe leaksBefore }
                }
            }
        }
    }

    test("closing io_uring contexts 300 times SHALL never hang and SHALL release every thread and fd") {
        withTimeout(180.seconds) {
            suspend fun once() {
                Context().use { ctx ->
                    val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true; ioUringMultishot = true }
                    val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = true }
                    pull.bind("tcp://127.0.0.1:*")
                    push.connect(pull.lastEndpoint!!)
                    push.send(Message("x"))
                    pull.receive()
                    // Close with the connection up and a message in flight the other way.
                    push.send(Message("in flight"))
                }
            }
            repeat(5) { once() }
            val baseline = ResourceCounts.current()
            repeat(300) { once() }
            awaitResourcesBackTo(baseline, threadSlack = 4, fdSlack = 0, timeout = 30.seconds)
        }
    }
})
