package io.zerokt.engine.patterns

import io.zerokt.testing.testContext
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.testing.Endpoints
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runInterruptible
import kotlinx.coroutines.withTimeout

/**
 * LINGER (zmq_setsockopt(3), zmq_close(3), zmq_ctx_term(3)): what a closed socket still delivers, and that closing
 * the context is bounded by LINGER. Over every transport.
 */
class LingerTest : FunSpec({
    timeout = 30_000

    overEveryTransport { transport ->
        for (linger in listOf(-1, 1000)) {
            test("a PUSH closed right after sending SHALL still deliver every message within LINGER $linger") {
                withZmqContext { ctx ->
                    val pull = ctx.open(SocketType.PULL)
                    val endpoint = pull.bindFresh(transport)
                    val push = ctx.socket(SocketType.PUSH).apply { this.linger = linger }
                    // No wait for the connection: the close comes before it is up on tcp and ipc.
                    push.connect(endpoint)
                    repeat(100) { push.sendText("m$it", "part") }
                    push.close()
                    List(100) { pull.receiveStrings() } shouldContainExactly List(100) { listOf("m$it", "part") }
                }
            }
        }

        for (linger in listOf(0, 100)) {
            test("closing the context SHALL return within LINGER $linger although a socket has undeliverable messages") {
                val ctx = testContext()
                val endpoint = when (transport) {
                    Transport.TCP -> Endpoints.tcpWithFreePort()
                    else -> transport.freshEndpoint()
                }
                val push = ctx.socket(SocketType.PUSH).apply { this.linger = linger }
                push.connect(endpoint)
                repeat(10) { push.trySend(Message("stuck $it")) }
                push.close()
                // Bounded: a close that waited forever would be interrupted and fail the test.
                withTimeout(WAIT) { runInterruptible(Dispatchers.IO) { ctx.close() } }
            }
        }

        // inproc peers meet in one context: there is no other context's bind to wait for.
        if (transport != Transport.INPROC) {
            test("a context closing SHALL go on connecting within LINGER and deliver to a peer that binds meanwhile") {
                val ctx = testContext()
                val endpoint = if (transport == Transport.TCP) Endpoints.tcpWithFreePort() else transport.freshEndpoint()
                val push = ctx.socket(SocketType.PUSH).apply { linger = 20_000; reconnectInterval = 50 }
                push.connect(endpoint)
                repeat(10) { push.trySend(Message("late $it")) shouldBe true }
                push.close()
                coroutineScope {
                    val closing = async(Dispatchers.IO) { runInterruptible { ctx.close() } }
                    delay(300) // the context is closing and waits for the PUSH, which keeps trying to connect
                    closing.isCompleted shouldBe false
                    testContext().use { other ->
                        val pull = other.socket(SocketType.PULL).apply { linger = 0 }
                        pull.bind(endpoint)
                        withTimeout(WAIT) {
                            List(10) { pull.receive().decodeToString() } shouldContainExactly List(10) { "late $it" }
                        }
                        withTimeout(WAIT) { closing.await() }
                    }
                }
            }
        }
    }
})
