package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration.Companion.seconds

/**
 * An io_uring event loop that dies under live connections (its thread ended by a failure, as an `io_uring_enter`
 * error Netty does not retry would end it; here `Thread.stop`, so JDK 19 or older): both ends see their connection
 * drop instead of waiting on it forever, the context's io_uring engine counts as failed, and the sockets carry on
 * through the default engine: the connecting one reconnects there, the bound one listens again on its address there,
 * each saying so once (ENGINE_FALLBACK with the reason); messages flow again and everything closes.
 */
class UringLoopDeathTest : FunSpec({
    timeout = 60_000

    for (bindTo in listOf("tcp://127.0.0.1:*", "ipc://*")) {
        val scheme = bindTo.substringBefore(":")
        test("a loop that dies SHALL move $scheme sockets to the default engine, which carries their messages")
            .config(enabledIf = { Runtime.version().feature() < 20 }) { // Thread.stop throws from JDK 20 on
                withTimeout(40.seconds) {
                    Context(1).use { ctx -> // closing it is bounded too
                        coroutineScope {
                            val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true }
                            val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = true; reconnectInterval = 50 }
                            val pullEvents = recordEvents(pull.monitor())
                            val pushEvents = recordEvents(push.monitor())
                            pull.bind(bindTo)
                            val endpoint = pull.lastEndpoint!!
                            push.connect(endpoint)
                            push.send(Message("before"))
                            pull.receive().decodeToString() shouldBe "before"
                            pushEvents.await(MonitorEventType.HANDSHAKE_SUCCEEDED)
                            pullEvents.any { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe false

                            stopLoop(loopThreads().single()) { push.trySend(Message("wake")) }

                            // The PUSH drops its connection, then reconnects through the default engine.
                            pushEvents.await(MonitorEventType.DISCONNECTED, 10.seconds)
                            pushEvents.await(MonitorEventType.ENGINE_FALLBACK, 10.seconds).reason!! shouldStartWith FAILED
                            pushEvents.await(MonitorEventType.HANDSHAKE_SUCCEEDED, 10.seconds)
                            // The PULL's listener fails and listens again on its address (its accepted connection drops
                            // meanwhile, before or after).
                            pullEvents.await(MonitorEventType.ACCEPT_FAILED, 10.seconds)
                            pullEvents.await(MonitorEventType.ENGINE_FALLBACK, 10.seconds).reason!! shouldStartWith FAILED
                            pullEvents.await(MonitorEventType.LISTENING, 10.seconds).endpoint shouldBe endpoint
                            pullEvents.any { it.type == MonitorEventType.DISCONNECTED } shouldBe true

                            push.send(Message("after"))
                            withTimeout(10.seconds) {
                                // "wake"s queued while the loop was stopped may come first.
                                while (pull.receive().decodeToString() != "after") continue
                            }
                            // Once each: later attempts do not report it again.
                            pullEvents.events.count { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe 1
                            pushEvents.events.count { it.type == MonitorEventType.ENGINE_FALLBACK } shouldBe 1

                            // A socket made afterwards falls back from its first bind.
                            ctx.socket(SocketType.PULL).use { late ->
                                late.ioUring = true
                                val lateEvents = recordEvents(late.monitor())
                                late.bind(bindTo)
                                lateEvents.await(MonitorEventType.ENGINE_FALLBACK).reason!! shouldStartWith FAILED
                                lateEvents.close()
                            }
                            pullEvents.close()
                            pushEvents.close()
                            push.close()
                            pull.close()
                        }
                    }
                }
            }
    }

    test("one of two loops dying SHALL leave the other loop running and every socket's messages flowing")
        .config(enabledIf = { Runtime.version().feature() < 20 }) {
            withTimeout(40.seconds) {
                Context(2).use { ctx ->
                    coroutineScope {
                        val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true }
                        val pullEvents = recordEvents(pull.monitor())
                        pull.bind("tcp://127.0.0.1:*")
                        val endpoint = pull.lastEndpoint!!
                        // Four connections: their channels and the accepted ones spread over both loops.
                        val pushes = List(4) { i ->
                            ctx.socket(SocketType.PUSH).apply {
                                linger = 0; ioUring = true; reconnectInterval = 50
                                connect(endpoint)
                                send(Message("before $i"))
                            }
                        }
                        List(4) { pull.receive().decodeToString() }.sorted() shouldBe List(4) { "before $it" }
                        val (victim, survivor) = loopThreads().sortedBy { it.name }.also { it.size shouldBe 2 }

                        stopLoop(victim) { pushes.forEach { it.trySend(Message("wake")) } }

                        pullEvents.await(MonitorEventType.ENGINE_FALLBACK, 10.seconds).reason!! shouldStartWith FAILED
                        pullEvents.await(MonitorEventType.LISTENING, 10.seconds).endpoint shouldBe endpoint
                        // A message written just before its connection noticed that the other end died is lost
                        // with it, as with any peer that goes away: each PUSH sends again until its message is in.
                        val after = ConcurrentHashMap.newKeySet<String>()
                        val resend = launch {
                            while (true) {
                                pushes.forEachIndexed { i, push -> if ("after $i" !in after) push.trySend(Message("after $i")) }
                                delay(100)
                            }
                        }
                        withTimeout(15.seconds) {
                            while (after.size < 4) pull.receive().decodeToString().takeIf { it.startsWith("after") }?.let(after::add)
                        }
                        resend.cancel()
                        after shouldBe List(4) { "after $it" }.toSet()
                        survivor.isAlive shouldBe true
                        pullEvents.close()
                        pushes.forEach { it.close() }
                        pull.close()
                    }
                }
            }
        }
})

/** The context's io_uring event loop threads. */
private fun loopThreads(): List<Thread> = Thread.getAllStackTraces().keys.filter { it.name.startsWith("zkt-io_uring") }

/**
 * Ends [loop]'s thread with `Thread.stop`, as a failure of Netty's loop would: only while it waits in io_uring_enter
 * (a native method on top of its stack), so that the ThreadDeath comes out of that wait, in Netty's loop, when [wake]
 * (a message for a connection on it) wakes it. Stopped while it runs something else, it would meet the ThreadDeath
 * there: inside a task (which Netty's task runner swallows) or inside a connection's coroutine, even kotlinx's own
 * machinery (which then fails that coroutine in ways no real loop failure does). So: wait for the wait, until gone.
 */
private suspend fun stopLoop(loop: Thread, wake: () -> Unit) {
    while (loop.isAlive) {
        if (loop.stackTrace.firstOrNull()?.isNativeMethod == true) {
            @Suppress("DEPRECATION")
            loop.stop()
            wake()
        }
        delay(20)
    }
}

/** How the sockets' fallback reason starts (then the loop thread's failure, when known by then). */
private const val FAILED = "the io_uring engine failed: the io_uring event loop stopped"
