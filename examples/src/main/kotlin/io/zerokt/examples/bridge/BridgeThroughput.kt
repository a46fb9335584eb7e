@file:JvmName("BridgeThroughput")

package io.zerokt.examples.bridge

import io.zerokt.Context
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.java.BlockingSocket
import kotlinx.coroutines.runBlocking
import org.zeromq.ZContext
import kotlin.concurrent.thread

/**
 * A benchmark (not a test) of the Java bridge: 64-byte PUSH/PULL throughput over tcp and inproc with the Kotlin
 * suspend API, the blocking Java API ([BlockingSocket]) and JeroMQ 0.6.0, in one run with the same shape: a
 * sender thread sending flat out, the receiver on the main thread timing the last `count` messages after a warm-up.
 *
 * Run it with the examples jar and every jar in `examples/target/lib` on the class path (as `bin/zkt` does):
 * `java -cp JARS io.zerokt.examples.bridge.BridgeThroughput [count] [rounds]`.
 * Prints one line per measurement and, per transport, the best round of each API and the ratios.
 */
fun main(args: Array<String>) {
    val count = args.getOrNull(0)?.toInt() ?: 2_000_000
    val rounds = args.getOrNull(1)?.toInt() ?: 3
    val warmUp = 200_000
    val apis = linkedMapOf<String, (String, Int, Int) -> Double>(
        "kotlin-suspend" to { t, w, c -> suspendApi(t, w, c, copies = false) },
        "kotlin-suspend-bytes" to { t, w, c -> suspendApi(t, w, c, copies = true) },
        "java-blocking" to { t, w, c -> blockingApi(t, w, c, messages = false) },
        "java-blocking-msg" to { t, w, c -> blockingApi(t, w, c, messages = true) },
        "jeromq" to ::jeromq,
    )
    for (transport in listOf("tcp", "inproc")) {
        val best = LinkedHashMap<String, Double>()
        repeat(rounds) { round ->
            for ((name, bench) in apis) {
                val rate = bench(transport, warmUp, count)
                println(String.format("%-7s %-20s round %d: %,12.0f msg/s", transport, name, round + 1, rate))
                best[name] = maxOf(best[name] ?: 0.0, rate)
            }
        }
        val suspendRate = best.getValue("kotlin-suspend")
        val suspendBytesRate = best.getValue("kotlin-suspend-bytes")
        val blockingRate = best.getValue("java-blocking")
        val messageRate = best.getValue("java-blocking-msg")
        val jeromqRate = best.getValue("jeromq")
        println(
            String.format(
                "%-7s best: suspend %,.0f (with byte[] copies %,.0f), blocking Message %,.0f, blocking byte[] %,.0f, " +
                    "jeromq %,.0f msg/s; blocking/suspend: Message %.2f, byte[] %.2f; blocking byte[]/jeromq %.2f",
                transport, suspendRate, suspendBytesRate, messageRate, blockingRate, jeromqRate,
                messageRate / suspendRate, blockingRate / suspendBytesRate, blockingRate / jeromqRate,
            ),
        )
    }
}

private var inprocCounter = 0

private fun endpoint(transport: String): String =
    if (transport == "tcp") "tcp://127.0.0.1:*" else "inproc://bridge-bench-${inprocCounter++}"

private val payload = ByteArray(64)

/**
 * The Kotlin suspend API: a sender coroutine on its own thread, the receiver in `runBlocking` here. With [copies],
 * each message is made from the 64-byte array and read back into a new one, the work `send(byte[])`/`recv()` do.
 */
private fun suspendApi(transport: String, warmUp: Int, count: Int, copies: Boolean): Double {
    Context().use { ctx ->
        val pull = ctx.socket(SocketType.PULL).apply { linger = 0 }
        val push = ctx.socket(SocketType.PUSH).apply { linger = 0 }
        val shared = Message.of(Frame.wrap(payload))
        return runBlocking {
            pull.bind(endpoint(transport))
            push.connect(pull.lastEndpoint!!)
            val sender = thread(name = "bench-sender") {
                runBlocking {
                    repeat(warmUp + count) {
                        val message = if (copies) Message.of(Frame.of(payload)) else shared
                        if (!push.trySend(message)) push.send(message)
                    }
                }
            }
            suspend fun take(): Any {
                val message = pull.tryReceive() ?: pull.receive()
                return if (copies) message.first().toByteArray() else message
            }
            repeat(warmUp) { take() }
            val start = System.nanoTime()
            repeat(count) { take() }
            val rate = count * 1e9 / (System.nanoTime() - start)
            sender.join()
            rate
        }
    }
}

/**
 * The Java blocking API: `send(byte[])` on a sender thread and `recv()` here (each copies its 64 bytes, as Java
 * users do), or with [messages] `send(Message)` and `recvMsg()`: the bridge's own cost, without copying bytes.
 */
private fun blockingApi(transport: String, warmUp: Int, count: Int, messages: Boolean): Double {
    Context().use { ctx ->
        BlockingSocket(ctx, SocketType.PULL).use { pull ->
            BlockingSocket(ctx, SocketType.PUSH).use { push ->
                pull.linger = 0
                push.linger = 0
                pull.bind(endpoint(transport))
                push.connect(pull.lastEndpoint!!)
                val message = Message.of(Frame.wrap(payload))
                return if (messages) {
                    timed(warmUp, count, send = { push.send(message) }, receive = { pull.recvMsg() })
                } else {
                    timed(warmUp, count, send = { push.send(payload) }, receive = { pull.recv() })
                }
            }
        }
    }
}

/** JeroMQ 0.6.0, shaped the same way. */
private fun jeromq(transport: String, warmUp: Int, count: Int): Double {
    ZContext().use { ctx ->
        val pull = ctx.createSocket(org.zeromq.SocketType.PULL).apply { linger = 0 }
        val push = ctx.createSocket(org.zeromq.SocketType.PUSH).apply { linger = 0 }
        val address = if (transport == "tcp") {
            "tcp://127.0.0.1:" + pull.bindToRandomPort("tcp://127.0.0.1")
        } else {
            endpoint(transport).also { pull.bind(it) }
        }
        push.connect(address)
        return timed(warmUp, count, send = { push.send(payload, 0) }, receive = { pull.recv(0) })
    }
}

/**
 * Starts a sender thread calling [send] `warmUp + count` times, receives [warmUp] messages with [receive] untimed,
 * then times [count] more: the receiver's messages/s.
 */
private inline fun timed(warmUp: Int, count: Int, crossinline send: () -> Unit, receive: () -> Unit): Double {
    val sender = thread(name = "bench-sender") { repeat(warmUp + count) { send() } }
    repeat(warmUp) { receive() }
    val start = System.nanoTime()
    repeat(count) { receive() }
    val rate = count * 1e9 / (System.nanoTime() - start)
    sender.join()
    return rate
}
