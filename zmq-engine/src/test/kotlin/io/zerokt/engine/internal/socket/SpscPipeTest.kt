package io.zerokt.engine.internal.socket

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlin.time.Duration.Companion.seconds

/** The single-producer, single-consumer pipe of a connection's incoming messages. */
class SpscPipeTest : FunSpec({
    timeout = 60_000

    fun message(i: Int) = Message(i.toString())

    test("messages come out in order across many chunks, and the pipe holds exactly its capacity") {
        val pipe = SpscPipe(1000)
        var next = 0
        var expected = 0
        repeat(5) {
            while (pipe.trySend(message(next))) next++
            (next - expected) shouldBe 1000 // full at exactly the capacity
            repeat(700) { pipe.tryReceive()!!.decodeToString() shouldBe (expected++).toString() }
        }
        while (true) {
            val m = pipe.tryReceive() ?: break
            m.decodeToString() shouldBe (expected++).toString()
        }
        expected shouldBe next
        pipe.isEmpty shouldBe true
    }

    test("a closed pipe refuses new messages, gives up what it holds, then reports closed for receive") {
        val pipe = SpscPipe(10)
        pipe.trySend(message(1)) shouldBe true
        pipe.close()
        pipe.isClosedForSend shouldBe true
        pipe.trySend(message(2)) shouldBe false
        pipe.isClosedForReceive shouldBe false
        pipe.tryReceive()!!.decodeToString() shouldBe "1"
        pipe.tryReceive() shouldBe null
        pipe.isClosedForReceive shouldBe true
    }

    test("a sender waiting on a full pipe is woken at the low-water mark, not at the first message taken") {
        val pipe = SpscPipe(10)
        repeat(10) { pipe.trySend(message(it)) shouldBe true }
        val sending = async(start = CoroutineStart.UNDISPATCHED) { pipe.send(message(10)) }
        sending.isActive shouldBe true
        pipe.tryReceive() // 9 left: above the low-water mark of 5
        yield()
        sending.isActive shouldBe true
        repeat(4) { pipe.tryReceive() } // 5 left
        withTimeout(5.seconds) { sending.await() }
        val rest = generateSequence { pipe.tryReceive()?.decodeToString() }.toList()
        rest shouldBe (5..10).map { it.toString() }
    }

    test("closing the pipe wakes a waiting sender with ClosedSendChannelException") {
        val pipe = SpscPipe(1)
        pipe.trySend(message(0)) shouldBe true
        val sending = async(start = CoroutineStart.UNDISPATCHED) { runCatching { pipe.send(message(1)) } }
        pipe.close()
        val result = withTimeout(5.seconds) { sending.await() }
        shouldThrow<ClosedSendChannelException> { result.getOrThrow() }
    }

    for (capacity in listOf(3, 1000)) test("a producer and a consumer on two threads pass a million messages in order through $capacity slots, none lost, no hang") {
        val pipe = SpscPipe(capacity)
        val count = 1_000_000
        withTimeout(50.seconds) { // 5-8 s here; under the build's load (fuzzing hooks, other JVMs) up to several times that
            val producer = launch(Dispatchers.Default) {
                for (i in 0 until count) pipe.send(Message(byteArrayOf((i and 0x7F).toByte())))
                pipe.close()
            }
            val consumer = async(Dispatchers.Default) {
                var got = 0
                while (true) {
                    val m = pipe.tryReceive()
                    if (m == null) {
                        if (pipe.isClosedForReceive) break
                        // A suspension point, not a bare spin: a spin cannot be cancelled (one kept a build running
                        // for minutes past this timeout, the producer never closing the pipe), and a producer resumed
                        // onto this worker's own queue gets to run.
                        yield()
                        continue
                    }
                    if (m.first()[0] != (got and 0x7F).toByte()) error("message $got out of order")
                    got++
                }
                got
            }
            consumer.await() shouldBe count
            producer.join()
        }
    }
})
