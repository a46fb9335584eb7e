package io.zerokt.engine.internal.transport.nio

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/** `ZMQ_IO_THREADS` on the default engine: that many NIO I/O threads (connections take them in turn), none after close. */
class IoThreadsTest : FunSpec({
    timeout = 60_000

    fun ioThreadNames(): Set<String> =
        Thread.getAllStackTraces().keys.filter { it.isAlive && it.name.matches(Regex("zkt-io-\\d+.*")) }.map { it.name.substringBefore(' ') }.toSet()

    test("a context with 3 I/O threads starts 3, carries 6 tcp connections' messages each in order, and stops them on close") {
        val before = ioThreadNames()
        val ctx = Context(3)
        try {
            withTimeout(30.seconds) {
                val pull = ctx.socket(SocketType.PULL)
                pull.bind("tcp://127.0.0.1:*")
                val pushes = List(6) { ctx.socket(SocketType.PUSH).apply { connect(pull.lastEndpoint!!) } }
                pushes.forEachIndexed { p, push -> repeat(200) { push.send(Message("$p:$it")) } }
                val got = HashMap<Int, MutableList<Int>>()
                repeat(6 * 200) {
                    val (p, i) = pull.receive().decodeToString().split(':').map(String::toInt)
                    got.getOrPut(p) { ArrayList() } += i
                }
                (ioThreadNames() - before).size shouldBe 3
                for (p in 0 until 6) got[p]!! shouldContainExactly (0 until 200).toList()
            }
        } finally {
            ctx.close()
        }
        (ioThreadNames() - before).size shouldBe 0
    }
})
