package io.zerokt.engine.patterns

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.property.Arb
import io.kotest.property.arbitrary.choice
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.checkAll
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlin.random.Random

/**
 * TESTING.md, kind 5: random multipart messages, frames from 0 B to 1 MiB, sent by two PUSH sockets at once, reach
 * the PULL intact, in order per sender and exactly once, over every transport.
 */
class MessageIntegrityPropertyTest : FunSpec({
    timeout = 180_000

    // Mostly small frames (where framing bugs live), some medium, some up to 1 MiB (long frames, many reads).
    val frameSize = Arb.choice(Arb.int(0..300), Arb.int(0..70_000), Arb.int(0..(1 shl 20)))
    val messageShape = Arb.list(frameSize, 1..4)
    val batch = Arb.list(messageShape, 1..10)

    overEveryTransport { transport ->
        test("random multipart messages from two PUSH sockets SHALL arrive intact, in order per sender, exactly once") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val pushes = List(2) { ctx.open(SocketType.PUSH) }
                connectAndAwait(pull, pull.bindFresh(transport), *pushes.toTypedArray())
                var round = 0
                checkAll(ITERATIONS, batch, batch) { first, second ->
                    round++
                    val expected = listOf(first, second).mapIndexed { sender, shapes ->
                        shapes.mapIndexed { seq, sizes -> message(round, sender, seq, sizes) }
                    }
                    withTimeout(WAIT * 2) {
                        pushes.forEachIndexed { sender, push -> launch { expected[sender].forEach { push.send(it) } } }
                        val got = List(expected.sumOf { it.size }) { pull.receiveWithin() }
                        for (sender in expected.indices) {
                            got.filter { it.first().decodeToString().startsWith("$round/$sender/") } shouldContainExactly expected[sender]
                        }
                    }
                }
                pull.tryReceive().shouldBeNull()
            }
        }
    }
}) {
    private companion object {
        const val ITERATIONS = 12

        /** A message whose first frame names it and whose other frames have [sizes] and seeded random content. */
        fun message(round: Int, sender: Int, seq: Int, sizes: List<Int>): Message {
            val random = Random(round * 1_000_003 + sender * 1_009 + seq)
            val frames = ArrayList<Frame>(sizes.size + 1)
            frames.add(Frame.of("$round/$sender/$seq".encodeToByteArray()))
            for (size in sizes) frames.add(Frame.of(random.nextBytes(size)))
            return Message(frames)
        }
    }
}
