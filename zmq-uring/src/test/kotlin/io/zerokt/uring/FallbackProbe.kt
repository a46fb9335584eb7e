@file:JvmName("FallbackProbe")

package io.zerokt.uring

import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.system.exitProcess

/**
 * Run in a child JVM by [UringRealFallbackTest], where io_uring really cannot run: an io_uring PULL and PUSH over tcp
 * move one message, and it prints what happened, one fact per line (`fallback PULL: REASON`, `fallback PUSH: REASON`,
 * `received: probe`, `io_uring threads: N`, then `closed` once the context closed). Exits 0 when all of that was
 * done within 20 s, 1 otherwise.
 */
fun main() {
    val ok = runBlocking {
        withTimeout(20_000) {
            Context().use { ctx ->
                val pull = ctx.socket(SocketType.PULL).apply { linger = 0; ioUring = true }
                val push = ctx.socket(SocketType.PUSH).apply { linger = 0; ioUring = true }
                val pullEvents = pull.monitor()
                val pushEvents = push.monitor()
                pull.bind("tcp://127.0.0.1:*")
                push.connect(pull.lastEndpoint!!)
                push.send(Message("probe"))
                println("received: ${pull.receive().decodeToString()}")
                for ((name, events) in listOf("PULL" to pullEvents, "PUSH" to pushEvents)) {
                    // Reported during bind and connect: queued long before the message arrived.
                    val fallback = withTimeoutOrNull(2_000) { events.filter { it.type == MonitorEventType.ENGINE_FALLBACK }.first() }
                    println("fallback $name: ${fallback?.reason ?: "none"}")
                }
                val threads = Thread.getAllStackTraces().keys.count { it.name.startsWith("zkt-io_uring") }
                println("io_uring threads: $threads")
            }
            println("closed")
            true
        }
    }
    System.out.flush()
    exitProcess(if (ok) 0 else 1)
}
