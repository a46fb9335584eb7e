package io.zerokt.engine.patterns

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents

/** PAIR (RFC 31): one peer, messages both ways, a second peer refused, over every transport. */
class PairTest : FunSpec({
    timeout = 30_000

    overEveryTransport { transport ->
        test("PAIR SHALL exchange messages both ways with its one peer, in order") {
            withZmqContext { ctx ->
                val a = ctx.open(SocketType.PAIR)
                val b = ctx.open(SocketType.PAIR)
                connectAndAwait(a, a.bindFresh(transport), b)
                repeat(10) { a.sendText("a$it", "more") }
                repeat(10) { b.sendText("b$it") }
                List(10) { b.receiveStrings() } shouldContainExactly List(10) { listOf("a$it", "more") }
                a.receiveTexts(10) shouldContainExactly List(10) { "b$it" }
            }
        }

        test("PAIR SHALL refuse a second peer, and the first pair keeps working") {
            withZmqContext { ctx ->
                val a = ctx.open(SocketType.PAIR)
                val endpoint = a.bindFresh(transport)
                val b = ctx.open(SocketType.PAIR)
                connectAndAwait(a, endpoint, b)

                val intruder = ctx.open(SocketType.PAIR)
                val events = recordEvents(a.monitor())
                intruder.connect(endpoint)
                if (transport == Transport.INPROC) {
                    // inproc links within connect: the refused PAIR is left without a peer.
                    intruder.trySend(Message("nowhere")) shouldBe false
                } else {
                    events.await(MonitorEventType.DISCONNECTED, WAIT)
                }
                events.close()

                a.sendText("to b")
                b.receiveWithin().decodeToString() shouldBe "to b"
                b.sendText("to a")
                a.receiveWithin().decodeToString() shouldBe "to a"
                intruder.tryReceive() shouldBe null
            }
        }
    }
})
