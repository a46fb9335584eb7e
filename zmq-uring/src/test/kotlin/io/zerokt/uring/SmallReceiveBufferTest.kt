package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.ZMQ_RCVBUF
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/**
 * Issue 5: a receiving socket with a small `ZMQ_RCVBUF` (below the 64 KiB loopback MSS) SHALL still receive a tcp
 * stream of large messages, intact and in order, whether it binds or connects, on the io_uring engine as on the
 * default engine.
 *
 * The kernel sizes a connection's receive window, and its window scale, from the receive buffer when the handshake
 * happens. A buffer shrunk only on the accepted socket, after the handshake, left a window the receiver could not
 * honour, and the sender crawled on its persist timer: 4 MB took 100 s over plain sockets, and more than a minute
 * on both engines, where libzmq (which sets the option on the listening socket) took 0.06 s.
 *
 * Each case sends 40 messages of about 100 kB PUSH to PULL over `tcp://127.0.0.1` and prints how long the
 * transfer took (timings are reported, not asserted: see TESTING.md; the bound only catches the stall).
 */
class SmallReceiveBufferTest : FunSpec({
    timeout = 120_000

    val messages = List(40) { i -> Message(ByteArray(100_000 + i) { (it xor i).toByte() }) }

    /**
     * Sends [messages] to a PULL with [receiveBuffer] bytes of `SO_RCVBUF`, both sockets on [uring] or not; the PULL
     * binds when [pullBinds], else the PUSH does.
     */
    suspend fun transfer(ctx: Context, uring: Boolean, receiveBuffer: Int, pullBinds: Boolean) = coroutineScope {
        val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = uring; setOption(ZMQ_RCVBUF, receiveBuffer) }
        val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = uring }
        val events = recordEvents(pull.monitor())
        if (pullBinds) {
            pull.bind("tcp://127.0.0.1:*")
            push.connect(pull.lastEndpoint!!)
        } else {
            push.bind("tcp://127.0.0.1:*")
            pull.connect(push.lastEndpoint!!)
        }
        val started = TimeSource.Monotonic.markNow()
        val received = async { List(messages.size) { pull.receive() } }
        for (m in messages) push.send(m)
        val got = received.await()
        val took = started.elapsedNow()
        val side = if (pullBinds) "binding" else "connecting"
        println("SmallReceiveBufferTest: ${if (uring) "io_uring" else "default"} engine, $side PULL, ZMQ_RCVBUF=$receiveBuffer: $took")
        got.map { it.frames.single().toByteArray().contentHashCode() } shouldContainExactly
            messages.map { it.frames.single().toByteArray().contentHashCode() }
        events.events.none { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe true
        events.close()
        push.close()
        pull.close()
    }

    for (uring in listOf(true, false)) {
        for (pullBinds in listOf(true, false)) {
            for (receiveBuffer in listOf(4096, 16_384, 32_768)) {
                val engine = if (uring) "io_uring" else "default"
                val side = if (pullBinds) "binding" else "connecting"
                test("on the $engine engine, a $side PULL with ZMQ_RCVBUF=$receiveBuffer SHALL receive 40 messages of 100 kB in order") {
                    withTimeout(30.seconds) {
                        Context().use { ctx -> transfer(ctx, uring, receiveBuffer, pullBinds) }
                    }
                }
            }
        }
    }
})
