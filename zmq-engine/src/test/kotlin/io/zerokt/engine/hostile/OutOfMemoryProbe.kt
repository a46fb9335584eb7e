package io.zerokt.engine.hostile

import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.testing.RawZmtpPeer
import io.zerokt.testing.Zmtp
import io.zerokt.testing.testContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.system.exitProcess
import kotlin.time.Duration.Companion.seconds

/** A frame size no 64 MiB heap can hold: the PULL's decoder fails with OutOfMemoryError when the header arrives. */
private const val HUGE = 512L shl 20

/**
 * Run by [OutOfMemoryTest] in a child JVM with a small heap: a PULL serves a good PUSH while a raw peer announces a
 * [HUGE] frame, so that the PULL's connection to it fails with an OutOfMemoryError (an error, not an exception). The
 * good PUSH then still delivers, and a PUSH that connects afterwards delivers too. Prints what it saw, then
 * "SURVIVED"; exits 1 on any failure.
 */
fun main() {
    try {
        runBlocking {
            withTimeout(30.seconds) {
                testContext().use { ctx ->
                    val pull = ctx.socket(SocketType.PULL).apply { linger = 0 }
                    pull.bind("tcp://127.0.0.1:*")
                    val endpoint = pull.lastEndpoint!!
                    val good = ctx.socket(SocketType.PUSH).apply { linger = 0 }
                    good.connect(endpoint)
                    good.send(Message("before"))
                    check(pull.receive().decodeToString() == "before")
                    RawZmtpPeer.connect(endpoint).use { raw ->
                        withContext(Dispatchers.IO) {
                            raw.nullHandshake("PUSH")
                            raw.write(Zmtp.frameHeader(Zmtp.FLAG_LONG, HUGE))
                            println("hostile peer closed by the PULL: ${raw.awaitClosedByPeer(10_000)}")
                        }
                    }
                    good.send(Message("after"))
                    check(pull.receive().decodeToString() == "after") { "the good PUSH's message" }
                    ctx.socket(SocketType.PUSH).use { late ->
                        late.connect(endpoint)
                        late.send(Message("late"))
                        check(pull.receive().decodeToString() == "late") { "the later PUSH's message" }
                        late.linger = 0
                    }
                    good.close()
                    pull.close()
                }
            }
        }
        println("SURVIVED")
        exitProcess(0)
    } catch (e: Throwable) {
        println("FAILED: $e")
        exitProcess(1)
    }
}
