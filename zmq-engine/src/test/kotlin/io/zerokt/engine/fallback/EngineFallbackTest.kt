package io.zerokt.engine.fallback

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.ZKT_CTX_IO_URING
import io.zerokt.ZKT_CTX_IO_URING_MULTISHOT
import io.zerokt.ZKT_CTX_IO_URING_BUFFER_RING_SIZE
import io.zerokt.ZKT_CTX_IO_URING_DEFER_TASKRUN
import io.zerokt.ZKT_CTX_IO_URING_RING_SIZE
import io.zerokt.ZKT_IO_URING
import io.zerokt.ZKT_IO_URING_SEND_ZC_THRESHOLD
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * The io_uring option without the `zmq-uring` jar (this module's test classpath has none): the socket falls back to
 * the default engine, works, and reports the reason once on its monitor.
 */
class EngineFallbackTest : FunSpec({
    timeout = 60_000

    test("an io_uring socket with no io_uring engine on the classpath SHALL fall back, report why once, and work") {
        withTimeout(30.seconds) {
            Context().use { ctx ->
                coroutineScope {
                    val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true }
                    val push = ctx.socket(SocketType.PUSH).apply { linger = 0 }
                    val events = recordEvents(pull.monitor())
                    pull.bind("tcp://127.0.0.1:*")
                    pull.bind("ipc://*")
                    val fallback = events.await(MonitorEventType.ENGINE_FALLBACK)
                    fallback.reason!! shouldContain "no io_uring engine on the classpath"
                    push.connect(pull.lastEndpoint!!)
                    push.send(Message("over the default engine"))
                    pull.receive().decodeToString() shouldBe "over the default engine"
                    events.events.count { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe 1
                    events.close()
                }
            }
        }
    }

    test("a socket without the option SHALL never report a fallback") {
        withTimeout(30.seconds) {
            Context().use { ctx ->
                coroutineScope {
                    val pull = ctx.socket(SocketType.PULL).apply { linger = 0 }
                    val events = recordEvents(pull.monitor())
                    pull.bind("tcp://127.0.0.1:*")
                    events.await(MonitorEventType.LISTENING)
                    events.events.none { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe true
                    events.close()
                }
            }
        }
    }

    test("the io_uring options SHALL round-trip by id and property, and bad values SHALL fail with EINVAL") {
        Context().use { ctx ->
            val s = ctx.socket(SocketType.DEALER)
            s.ioUring shouldBe false
            s.ioUringSendZeroCopyThreshold shouldBe -1
            s.ioUring = true
            s.getOption(ZKT_IO_URING) shouldBe 1
            s.setOption(ZKT_IO_URING_SEND_ZC_THRESHOLD, 16384)
            s.ioUringSendZeroCopyThreshold shouldBe 16384
            s.ioUringTcpCork = true
            s.ioUringTcpCork shouldBe true
            s.ioUringMultishot = true
            s.ioUringMultishot shouldBe true
            shouldThrow<ZmqException> { s.setOption(ZKT_IO_URING, 2) }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { s.setOption(ZKT_IO_URING_SEND_ZC_THRESHOLD, -2) }.error shouldBe ZmqError.EINVAL
        }
    }

    test("context options SHALL round-trip, make the io_uring default of new sockets, and reject bad values") {
        Context().use { ctx ->
            ctx.getOption(ZKT_CTX_IO_URING) shouldBe 0
            ctx.setOption(ZKT_CTX_IO_URING, 1)
            ctx.socket(SocketType.PUSH).ioUring shouldBe true
            ctx.socket(SocketType.PUSH).ioUringMultishot shouldBe false
            ctx.setOption(ZKT_CTX_IO_URING_MULTISHOT, 1)
            ctx.getOption(ZKT_CTX_IO_URING_MULTISHOT) shouldBe 1
            ctx.socket(SocketType.PULL).ioUringMultishot shouldBe true
            shouldThrow<ZmqException> { ctx.setOption(ZKT_CTX_IO_URING_MULTISHOT, 2) }.error shouldBe ZmqError.EINVAL
            ctx.setOption(ZKT_CTX_IO_URING_RING_SIZE, 512)
            ctx.getOption(ZKT_CTX_IO_URING_RING_SIZE) shouldBe 512
            shouldThrow<ZmqException> { ctx.setOption(ZKT_CTX_IO_URING_BUFFER_RING_SIZE, 100) }.error shouldBe ZmqError.EINVAL
            ctx.getOption(ZKT_CTX_IO_URING_DEFER_TASKRUN) shouldBe 1
            ctx.setOption(ZKT_CTX_IO_URING_DEFER_TASKRUN, 0)
            ctx.getOption(ZKT_CTX_IO_URING_DEFER_TASKRUN) shouldBe 0
            shouldThrow<ZmqException> { ctx.setOption(ZKT_CTX_IO_URING_DEFER_TASKRUN, 2) }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { ctx.setOption(0x5A4B_01FF, 1) }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { ctx.getOption(12345) }.error shouldBe ZmqError.EINVAL
        }
    }
})
