package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * An io_uring event loop that dies under live connections (its thread ended by a failure, as an `io_uring_enter`
 * error Netty does not retry would end it; here `Thread.stop`, so JDK 19 or older): both ends see their connection
 * drop instead of waiting on it forever, the connecting end keeps trying (each attempt refused at once by the
 * stopped loop), and the sockets and the context still close.
 */
class UringLoopDeathTest : FunSpec({
    timeout = 60_000

    test("a loop that dies SHALL drop its connections, leave the connecting socket retrying, and let everything close")
        .config(enabledIf = { Runtime.version().feature() < 20 }) {
            withTimeout(40.seconds) {
                Context(1).use { ctx -> // closing it is bounded too
                    coroutineScope {
                        val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true }
                        val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = true; reconnectInterval = 50 }
                        val pullEvents = recordEvents(pull.monitor())
                        val pushEvents = recordEvents(push.monitor())
                        pull.bind("tcp://127.0.0.1:*")
                        push.connect(pull.lastEndpoint!!)
                        push.send(Message("before"))
                        pull.receive().decodeToString() shouldBe "before"
                        pushEvents.await(MonitorEventType.HANDSHAKE_SUCCEEDED)

                        val loop = Thread.getAllStackTraces().keys.single { it.name.startsWith("zkt-io_uring") }
                        // The loop waits in io_uring_enter; a message for it wakes it to meet its ThreadDeath. One
                        // that lands inside a task is swallowed by Netty's task runner, so stop it until it is gone.
                        while (loop.isAlive) {
                            @Suppress("DEPRECATION")
                            loop.stop()
                            push.trySend(Message("wake"))
                            delay(20)
                        }

                        pullEvents.await(MonitorEventType.DISCONNECTED, 10.seconds)
                        pushEvents.await(MonitorEventType.DISCONNECTED, 10.seconds)
                        pushEvents.await(MonitorEventType.CONNECT_RETRIED, 10.seconds)
                        pushEvents.await(MonitorEventType.CONNECT_RETRIED, 10.seconds)
                        pullEvents.close()
                        pushEvents.close()
                        push.close()
                        pull.close()
                    }
                }
            }
        }
})
