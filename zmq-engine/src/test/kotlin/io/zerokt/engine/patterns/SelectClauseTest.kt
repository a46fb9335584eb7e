package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.onTimeout
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield

/**
 * `Socket.onReceive` in a kotlinx `select`: the winning clause takes one message, losing clauses take none, and
 * messages keep their order however often a socket's clause loses, over every transport.
 */
class SelectClauseTest : FunSpec({
    timeout = 60_000

    overEveryTransport { transport ->
        test("a select over two sockets receives from the one with a message and leaves the other's queue alone") {
            withZmqContext { ctx ->
                val (a, pushA) = connectedPair(ctx, transport)
                val (b, pushB) = connectedPair(ctx, transport)

                val waiting = async(start = CoroutineStart.UNDISPATCHED) {
                    select {
                        a.onReceive { "a:" + it.decodeToString() }
                        b.onReceive { "b:" + it.decodeToString() }
                    }
                }
                waiting.isActive shouldBe true
                pushB.sendText("first")
                withTimeout(WAIT) { waiting.await() } shouldBe "b:first"

                pushA.sendText("a1")
                pushA.sendText("a2")
                a.receiveWithin().decodeToString() shouldBe "a1" // arrival, then a select that finds it ready
                select<String> {
                    b.onReceive { "b:" + it.decodeToString() }
                    a.onReceive { "a:" + it.decodeToString() }
                } shouldBe "a:a2"
            }
        }

        test("a select that times out takes nothing, and the next receive gets the message") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val push = ctx.open(SocketType.PUSH)
                connectAndAwait(pull, pull.bindFresh(transport), push)
                select<String?> {
                    pull.onReceive { it.decodeToString() }
                    onTimeout(50) { null }
                } shouldBe null
                push.sendText("after the timeout")
                pull.receiveWithin().decodeToString() shouldBe "after the timeout"
            }
        }

        test("two streams selected together against a busy channel arrive whole, once each and in order") {
            withZmqContext { ctx ->
                val count = 2_000
                val (a, pushA) = connectedPair(ctx, transport)
                val (b, pushB) = connectedPair(ctx, transport)
                // A channel clause that is often ready too, so socket clauses keep losing races they had begun.
                val ticks = Channel<Int>(Channel.UNLIMITED)
                val ticker = launch { repeat(count * 4) { ticks.send(it); if (it % 8 == 0) yield() } }
                launch { repeat(count) { pushA.sendText("$it") } }
                launch { repeat(count) { pushB.sendText("$it") } }
                var nextA = 0
                var nextB = 0
                var tickCount = 0
                withTimeout(WAIT * 3) {
                    while (nextA < count || nextB < count) {
                        select<Unit> {
                            a.onReceive { it.decodeToString() shouldBe "$nextA"; nextA++ }
                            ticks.onReceive { tickCount++ }
                            b.onReceive { it.decodeToString() shouldBe "$nextB"; nextB++ }
                        }
                    }
                }
                ticker.cancel()
                tickCount shouldBeGreaterThan 0
                a.tryReceive() shouldBe null
                b.tryReceive() shouldBe null
            }
        }

        test("closing a socket fails a select waiting on it with ENOTSOCK") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                pull.bindFresh(transport)
                val waiting = async(start = CoroutineStart.UNDISPATCHED) {
                    shouldThrow<ZmqException> { select<Message> { pull.onReceive { it } } }
                }
                pull.close()
                withTimeout(WAIT) { waiting.await() }.error shouldBe ZmqError.ENOTSOCK
            }
        }

        test("REQ takes its reply through a select and may then send the next request") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val req = ctx.open(SocketType.REQ)
                connectAndAwait(rep, rep.bindFresh(transport), req)
                repeat(3) { i ->
                    req.sendText("q$i")
                    rep.receiveWithin().decodeToString() shouldBe "q$i"
                    rep.sendText("a$i")
                    withTimeout(WAIT) { select<String> { req.onReceive { it.decodeToString() } } } shouldBe "a$i"
                }
                shouldThrow<ZmqException> { select<Message> { req.onReceive { it } } }.error shouldBe ZmqError.EFSM
            }
        }
    }
})

/** A PULL bound over [transport] and a PUSH connected to it, handshake done. */
private suspend fun connectedPair(ctx: io.zerokt.Context, transport: Transport): Pair<io.zerokt.Socket, io.zerokt.Socket> {
    val pull = ctx.open(SocketType.PULL)
    val push = ctx.open(SocketType.PUSH)
    connectAndAwait(pull, pull.bindFresh(transport), push)
    return pull to push
}
