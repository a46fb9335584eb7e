package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.async
import kotlinx.coroutines.launch

/**
 * PUSH/PULL (RFC 30, zmq_socket(3) "Pipeline pattern"): round-robin out of a PUSH, fair-queueing into a PULL,
 * blocking (never dropping) at the high-water mark, over every transport. Linger on close is in [LingerTest].
 */
class PushPullTest : FunSpec({
    timeout = 30_000

    overEveryTransport { transport ->
        test("PUSH SHALL route outgoing messages to connected peers using a round-robin strategy") {
            withZmqContext { ctx ->
                val push = ctx.open(SocketType.PUSH)
                val pulls = List(3) { ctx.open(SocketType.PULL) }
                connectAndAwait(push, push.bindFresh(transport), *pulls.toTypedArray())

                repeat(30) { push.sendText("m$it") }

                val received = pulls.map { it.receiveTexts(10) }
                // Each PULL got every third message, in order, and together they got all of them exactly once.
                for (got in received) {
                    val first = got[0].removePrefix("m").toInt()
                    got shouldContainExactly List(10) { "m${first + 3 * it}" }
                }
                received.flatten().toSet() shouldBe List(30) { "m$it" }.toSet()
            }
        }

        test("PULL SHALL receive every message of every connected PUSH, in order per PUSH") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val pushes = List(3) { ctx.open(SocketType.PUSH) }
                connectAndAwait(pull, pull.bindFresh(transport), *pushes.toTypedArray())

                pushes.forEachIndexed { p, push -> repeat(100) { push.sendText("$p:$it") } }

                val got = pull.receiveTexts(300)
                for (p in pushes.indices) got.filter { it.startsWith("$p:") } shouldContainExactly List(100) { "$p:$it" }
            }
        }

        test("PUSH SHALL block on sending when it has no available peers: trySend is refused and SNDTIMEO fails with EAGAIN") {
            withZmqContext { ctx ->
                val push = ctx.open(SocketType.PUSH) { sendTimeout = 50 }
                push.bindFresh(transport)

                push.trySend(Message("nobody")) shouldBe false
                shouldThrow<ZmqException> { push.send(Message("nobody")) }.error shouldBe ZmqError.EAGAIN
            }
        }

        test("PUSH SHALL block, never drop, at the high-water mark, and every accepted message then arrives in order") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL) { receiveHighWaterMark = 5 }
                val push = ctx.open(SocketType.PUSH) { sendHighWaterMark = 5 }
                connectAndAwait(pull, pull.bindFresh(transport), push)

                val payload = ByteArray(16 * 1024)
                val accepted = push.fillUntilRefused { Message.of("m$it".encodeToByteArray(), payload) }
                accepted shouldBeGreaterThan 0
                // inproc has no buffers but the pipe: SNDHWM + RCVHWM, as libzmq sums them.
                if (transport == Transport.INPROC) accepted shouldBeLessThanOrEqual 10

                // A blocked send completes as soon as the receiver makes room, and nothing is lost or reordered.
                val more = launch { for (i in accepted until accepted + 20) push.send(Message.of("m$i".encodeToByteArray(), payload)) }
                val got = List(accepted + 20) { pull.receiveWithin()[0].decodeToString() }
                got shouldContainExactly List(accepted + 20) { "m$it" }
                more.join()
            }
        }

        test("every message of a burst of full reads arrives without further input, the last one too") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val push = ctx.open(SocketType.PUSH)
                connectAndAwait(pull, pull.bindFresh(transport), push)

                // A frame of 65,527 octets is 65,536 on the wire: one connection read's worth. A connection that
                // read a full buffer reads on before waking the PULL; this checks it always wakes it in the end.
                for (count in listOf(1, 3, 40)) {
                    repeat(count) { push.send(Message.of(ByteArray(65_527) { i -> (i + it).toByte() })) }
                    repeat(count) {
                        val body = pull.receiveWithin().first().toByteArray()
                        body.size shouldBe 65_527
                        body[0] shouldBe it.toByte()
                    }
                }
            }
        }

        test("PULL SHALL NOT send: send fails with ENOTSUP, and PUSH SHALL NOT receive") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val push = ctx.open(SocketType.PUSH)
                shouldThrow<ZmqException> { pull.send(Message("x")) }.error shouldBe ZmqError.ENOTSUP
                shouldThrow<ZmqException> { push.receive() }.error shouldBe ZmqError.ENOTSUP
            }
        }
    }

    test("PULL SHALL fair-queue: with messages waiting from two PUSHes it takes one from each in turn (inproc, where arrival is synchronous)") {
        withZmqContext { ctx ->
            val pull = ctx.open(SocketType.PULL)
            val a = ctx.open(SocketType.PUSH)
            val b = ctx.open(SocketType.PUSH)
            connectAndAwait(pull, pull.bindFresh(Transport.INPROC), a, b)

            repeat(5) { a.sendText("a$it") }
            repeat(5) { b.sendText("b$it") }

            val got = pull.receiveTexts(10)
            // Strict alternation, starting with either.
            val (first, second) = if (got[0].startsWith("a")) "a" to "b" else "b" to "a"
            got shouldContainExactly List(10) { i -> (if (i % 2 == 0) first else second) + (i / 2) }
        }
    }

    test("a send suspended at the high-water mark is resumed by the receiver's progress") {
        withZmqContext { ctx ->
            val pull = ctx.open(SocketType.PULL) { receiveHighWaterMark = 1 }
            val push = ctx.open(SocketType.PUSH) { sendHighWaterMark = 1 }
            connectAndAwait(pull, pull.bindFresh(Transport.INPROC), push)
            val sender = async { repeat(100) { push.send(Message("m$it")) } }
            pull.receiveTexts(100) shouldContainExactly List(100) { "m$it" }
            sender.await()
        }
    }
})
