package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.ZKT_CTX_IO_URING_DEFER_TASKRUN
import io.zerokt.testing.ResourceCounts
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import io.zerokt.testing.testContext
import io.zerokt.testing.testsUseIoUring
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * The io_uring engine end to end: a socket with the option runs on io_uring (its event loop thread appears, no
 * fallback is reported), talks to default-engine sockets in the same context, and each tuning option moves
 * messages of every size intact. Forcing the engine unavailable makes the socket fall back and say why.
 */
class UringEngineTest : FunSpec({
    timeout = 120_000

    fun ioUringThreads() = ResourceCounts.current().threadNames.count { it.startsWith("zkt-io_uring") }

    suspend fun pushPull(ctx: Context, endpoint: String, pullSetup: Socket.() -> Unit, pushSetup: Socket.() -> Unit, messages: List<Message>) =
        coroutineScope {
            val pull = ctx.socket(SocketType.PULL).apply { linger = 0; pullSetup() }
            val push = ctx.socket(SocketType.PUSH).apply { linger = 0; pushSetup() }
            val events = recordEvents(pull.monitor())
            pull.bind(endpoint)
            push.connect(pull.lastEndpoint!!)
            val received = async { List(messages.size) { pull.receive() } }
            for (m in messages) push.send(m)
            val got = received.await()
            got.map { it.frames.map { f -> f.toByteArray().contentHashCode() } } shouldContainExactly
                messages.map { it.frames.map { f -> f.toByteArray().contentHashCode() } }
            events.events.none { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe true
            events.close()
            push.close()
            pull.close()
        }

    fun sizes(): List<Message> = listOf(1, 64, 1000, 8192, 65_536, 300_000, 2 shl 20).flatMap { size ->
        List(3) { i -> Message(ByteArray(size) { (it * 31 + i + size).toByte() }) }
    } + listOf(Message.of("multi", "part", "message"))

    test("the io_uring option SHALL put the socket on the io_uring engine, over tcp and ipc") {
        withTimeout(60.seconds) {
            Context().use { ctx ->
                for (endpoint in listOf("tcp://127.0.0.1:*", "ipc://*")) {
                    pushPull(ctx, endpoint, { ioUring = true }, { ioUring = true }, sizes())
                }
                (ioUringThreads() > 0) shouldBe true
            }
        }
    }

    test("io_uring and default-engine sockets in one context SHALL talk to each other both ways") {
        withTimeout(60.seconds) {
            Context().use { ctx ->
                pushPull(ctx, "tcp://127.0.0.1:*", { ioUring = true }, {}, sizes())
                pushPull(ctx, "tcp://127.0.0.1:*", {}, { ioUring = true }, sizes())
                pushPull(ctx, "ipc://*", {}, { ioUring = true }, sizes())
            }
        }
    }

    test("TCP_CORK, zero-copy send and multishot receive SHALL each deliver every message intact") {
        withTimeout(90.seconds) {
            Context().use { ctx ->
                val tunings: List<Socket.() -> Unit> = listOf(
                    { ioUring = true; ioUringTcpCork = true },
                    { ioUring = true; ioUringSendZeroCopyThreshold = 0 },
                    { ioUring = true; ioUringSendZeroCopyThreshold = 16_384 },
                    { ioUring = true; ioUringMultishot = true },
                    { ioUring = true; ioUringTcpCork = true; ioUringSendZeroCopyThreshold = 16_384; ioUringMultishot = true },
                )
                for (tuning in tunings) pushPull(ctx, "tcp://127.0.0.1:*", tuning, tuning, sizes())
                pushPull(ctx, "ipc://*", { ioUring = true; ioUringMultishot = true }, { ioUring = true; ioUringMultishot = true }, sizes())
            }
        }
    }

    test("a small kernel send buffer SHALL force partial writes and still deliver every byte in order") {
        // Only the sender's buffer is small here. Small receive buffers are SmallReceiveBufferTest's: they stalled (issue
        // 5) not because of TCP itself, but because the option reached the accepted socket only after the handshake.
        withTimeout(60.seconds) {
            Context().use { ctx ->
                val sender: Socket.() -> Unit = { ioUring = true; setOption(io.zerokt.ZMQ_SNDBUF, 4096) }
                val receiver: Socket.() -> Unit = { ioUring = true; setOption(io.zerokt.ZMQ_RCVBUF, 256 shl 10) }
                val messages = List(40) { i -> Message(ByteArray(100_000 + i) { (it xor i).toByte() }) }
                pushPull(ctx, "tcp://127.0.0.1:*", receiver, sender, messages)
            }
        }
    }

    test("on another operating system the engine SHALL say it needs Linux") {
        // Setting os.name in this JVM breaks the JDK itself (jdk.net's per-OS socket options), so the name is passed.
        val provider = UringTransportProvider()
        provider.unavailabilityReason("Mac OS X") shouldBe "io_uring needs Linux; this is Mac OS X"
        provider.unavailabilityReason("Windows Server 2022") shouldBe "io_uring needs Linux; this is Windows Server 2022"
        provider.unavailabilityReason(System.getProperty("os.name")) shouldBe null // this machine runs io_uring
    }

    test("when io_uring is forced unavailable, the socket SHALL fall back, report the reason once, and work") {
        System.setProperty(UringTransportProvider.DISABLE_PROPERTY, "by UringEngineTest")
        try {
            withTimeout(30.seconds) {
                Context().use { ctx ->
                    coroutineScope {
                        val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true }
                        val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = true }
                        val pullEvents = recordEvents(pull.monitor())
                        val pushEvents = recordEvents(push.monitor())
                        pull.bind("tcp://127.0.0.1:*")
                        pull.bind("ipc://*")
                        push.connect(pull.lastEndpoint!!)
                        pullEvents.await(MonitorEventType.ENGINE_FALLBACK).reason!! shouldContain
                            "io_uring disabled by the system property ${UringTransportProvider.DISABLE_PROPERTY}=by UringEngineTest"
                        pushEvents.await(MonitorEventType.ENGINE_FALLBACK).reason!! shouldContain "disabled by the system property"
                        push.send(Message("fallback works"))
                        pull.receive().decodeToString() shouldBe "fallback works"
                        pullEvents.events.count { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe 1
                        pullEvents.close()
                        pushEvents.close()
                    }
                }
            }
        } finally {
            System.clearProperty(UringTransportProvider.DISABLE_PROPERTY)
        }
    }

    test("REQ and REP on io_uring SHALL keep requests and replies whole and in order, direct writes and large ones mixed") {
        // Replies above one direct write's 64 KiB go out partly from the sender's thread and partly through the event
        // loop; the small reply after a large one must not overtake the large one's rest.
        withTimeout(60.seconds) {
            Context().use { ctx ->
                for (endpoint in listOf("tcp://127.0.0.1:*", "ipc://*")) {
                    val rep = ctx.socket(SocketType.REP).apply { linger = 0; ioUring = true }
                    val req = ctx.socket(SocketType.REQ).apply { linger = 0; ioUring = true }
                    rep.bind(endpoint)
                    req.connect(rep.lastEndpoint!!)
                    val sizes = listOf(1, 64, 70_000, 3, 2 shl 20, 10, 65_536, 65_537, 1000)
                    coroutineScope {
                        val server = async {
                            repeat(sizes.size * 20) { i ->
                                val request = rep.receive()
                                val size = sizes[i % sizes.size]
                                request.first().size shouldBe size
                                rep.send(Message(ByteArray(size) { (it + i).toByte() }))
                            }
                        }
                        repeat(sizes.size * 20) { i ->
                            val size = sizes[i % sizes.size]
                            req.send(Message(ByteArray(size) { (it * 3 + i).toByte() }))
                            val reply = req.receive().first().toByteArray()
                            reply.contentEquals(ByteArray(size) { (it + i).toByte() }) shouldBe true
                        }
                        server.await()
                    }
                    req.close()
                    rep.close()
                }
            }
        }
    }

    test("a context without deferred task running (ZKT_CTX_IO_URING_DEFER_TASKRUN 0) SHALL carry PUSH/PULL and REQ/REP") {
        UringSettings.of(mapOf(ZKT_CTX_IO_URING_DEFER_TASKRUN to 0)).deferTaskrun shouldBe false
        UringSettings.of(emptyMap()).deferTaskrun shouldBe true
        withTimeout(60.seconds) {
            Context().use { ctx ->
                ctx.setOption(ZKT_CTX_IO_URING_DEFER_TASKRUN, 0)
                pushPull(ctx, "tcp://127.0.0.1:*", { ioUring = true }, { ioUring = true }, sizes())
                val rep = ctx.socket(SocketType.REP).apply { linger = 0; ioUring = true }
                val req = ctx.socket(SocketType.REQ).apply { linger = 0; ioUring = true }
                rep.bind("tcp://127.0.0.1:*")
                req.connect(rep.lastEndpoint!!)
                coroutineScope {
                    val server = async { repeat(100) { rep.send(Message("r" + rep.receive().decodeToString())) } }
                    repeat(100) { i ->
                        req.send(Message("q$i"))
                        req.receive().decodeToString() shouldBe "rq$i"
                    }
                    server.await()
                }
                (ioUringThreads() > 0) shouldBe true
            }
        }
    }

    test("with the io_uring test property, testContext() SHALL make io_uring sockets") {
        testContext().use { ctx -> ctx.socket(SocketType.PAIR).ioUring shouldBe testsUseIoUring }
    }
})
