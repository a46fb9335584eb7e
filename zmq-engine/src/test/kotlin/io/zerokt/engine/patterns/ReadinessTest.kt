package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZMQ_EVENTS
import io.zerokt.ZMQ_POLLIN
import io.zerokt.ZMQ_POLLOUT
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.awaitAnyReadable
import io.zerokt.receiveFromAny
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield

/**
 * Readiness without consuming (`ZMQ_EVENTS`, `awaitReadable`, `awaitWritable`: what `zmq_poll` needs), and the
 * rule that a cancelled wait or receive takes nothing, over every transport.
 */
class ReadinessTest : FunSpec({
    timeout = 60_000

    overEveryTransport { transport ->
        test("awaitReadable returns once a message is queued and leaves it for the next receive") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val push = ctx.open(SocketType.PUSH)
                connectAndAwait(pull, pull.bindFresh(transport), push)
                (pull.getIntOption(ZMQ_EVENTS) and ZMQ_POLLIN) shouldBe 0

                val waiting = async(start = CoroutineStart.UNDISPATCHED) { pull.awaitReadable() }
                waiting.isActive shouldBe true
                push.sendText("hello")
                withTimeout(WAIT) { waiting.await() }

                (pull.getIntOption(ZMQ_EVENTS) and ZMQ_POLLIN) shouldBe ZMQ_POLLIN
                pull.tryReceive()!!.decodeToString() shouldBe "hello"
                (pull.getIntOption(ZMQ_EVENTS) and ZMQ_POLLIN) shouldBe 0
            }
        }

        test("PUSH is not writable while every pipe is at its high-water mark, and awaitWritable returns once the peer reads") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL) { receiveHighWaterMark = 2 }
                val push = ctx.open(SocketType.PUSH) { sendHighWaterMark = 2 }
                (push.getIntOption(ZMQ_EVENTS) and ZMQ_POLLOUT) shouldBe 0 // no peer yet
                connectAndAwait(pull, pull.bindFresh(transport), push)
                (push.getIntOption(ZMQ_EVENTS) and ZMQ_POLLOUT) shouldBe ZMQ_POLLOUT

                val payload = ByteArray(16 * 1024)
                // Over ipc/tcp the connection keeps moving messages into the kernel's buffers for a while, so fill
                // again until a wait for room really has to wait.
                var accepted = 0
                var writable: kotlinx.coroutines.Deferred<Unit>
                while (true) {
                    accepted += push.fillUntilRefused { Message.of("m${accepted + it}".encodeToByteArray(), payload) }
                    writable = async(start = CoroutineStart.UNDISPATCHED) { push.awaitWritable() }
                    if (writable.isActive) break
                }
                accepted shouldBeGreaterThan 0
                var taken = 0
                while (writable.isActive) {
                    pull.receiveWithin()
                    taken++
                    yield()
                }
                (push.getIntOption(ZMQ_EVENTS) and ZMQ_POLLOUT) shouldBe ZMQ_POLLOUT
                push.trySend(Message.of("m$accepted".encodeToByteArray(), payload)) shouldBe true
                // Everything accepted still arrives, in order.
                for (i in taken..accepted) pull.receiveWithin()[0].decodeToString() shouldBe "m$i"
            }
        }

        test("REQ is writable until it sends and readable once the reply is in; REP the other way round") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val req = ctx.open(SocketType.REQ)
                connectAndAwait(rep, rep.bindFresh(transport), req)
                req.getIntOption(ZMQ_EVENTS) shouldBe ZMQ_POLLOUT
                rep.getIntOption(ZMQ_EVENTS) shouldBe 0

                req.sendText("q")
                req.getIntOption(ZMQ_EVENTS) shouldBe 0
                withTimeout(WAIT) { rep.awaitReadable() }
                rep.getIntOption(ZMQ_EVENTS) shouldBe ZMQ_POLLIN
                rep.receiveWithin().decodeToString() shouldBe "q"
                rep.getIntOption(ZMQ_EVENTS) shouldBe ZMQ_POLLOUT

                val replied = async(start = CoroutineStart.UNDISPATCHED) { req.awaitReadable() }
                rep.sendText("a")
                withTimeout(WAIT) { replied.await() }
                req.receiveWithin().decodeToString() shouldBe "a"
                withTimeout(WAIT) { req.awaitWritable() }
            }
        }

        test("a cancelled receive takes nothing: the next receive gets every message, each once, in order") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val push = ctx.open(SocketType.PUSH)
                connectAndAwait(pull, pull.bindFresh(transport), push)
                val count = 2000
                val sender = launch { repeat(count) { push.sendText("$it") } }
                var expected = 0
                var attempts = 0
                while (expected < count) {
                    // Cancel every other receive right after it starts: some of them race a message arriving.
                    val attempt = async(start = CoroutineStart.UNDISPATCHED) { pull.receive() }
                    if (attempts++ % 2 == 0 && attempt.isActive) {
                        attempt.cancel()
                        yield()
                        continue
                    }
                    val got = withTimeout(WAIT) { attempt.await() }
                    got.decodeToString() shouldBe "$expected"
                    expected++
                }
                sender.join()
                pull.tryReceive() shouldBe null
            }
        }
    }

    test("receiveFromAny serves several sockets in one coroutine and awaitAnyReadable names the ready one") {
        withZmqContext { ctx ->
            val a = ctx.open(SocketType.PULL)
            val b = ctx.open(SocketType.PULL)
            val toA = ctx.open(SocketType.PUSH)
            val toB = ctx.open(SocketType.PUSH)
            connectAndAwait(a, a.bindFresh(Transport.TCP), toA)
            connectAndAwait(b, b.bindFresh(Transport.INPROC), toB)

            val waiting = async(start = CoroutineStart.UNDISPATCHED) { awaitAnyReadable(a, b) }
            toB.sendText("to b")
            withTimeout(WAIT) { waiting.await() } shouldBe b
            b.receiveWithin().decodeToString() shouldBe "to b"

            repeat(3) { toA.sendText("a$it") }
            repeat(3) { toB.sendText("b$it") }
            val got = List(6) { withTimeout(WAIT) { receiveFromAny(a, b) } }
            got.filter { it.socket === a }.map { it.message.decodeToString() } shouldBe listOf("a0", "a1", "a2")
            got.filter { it.socket === b }.map { it.message.decodeToString() } shouldBe listOf("b0", "b1", "b2")
        }
    }

    test("PUB, XPUB and ROUTER are always writable, PULL and SUB never, as in libzmq") {
        withZmqContext { ctx ->
            for (type in listOf(SocketType.PUB, SocketType.XPUB, SocketType.ROUTER)) {
                (ctx.open(type).getIntOption(ZMQ_EVENTS) and ZMQ_POLLOUT) shouldBe ZMQ_POLLOUT
            }
            for (type in listOf(SocketType.PULL, SocketType.SUB)) {
                (ctx.open(type).getIntOption(ZMQ_EVENTS) and ZMQ_POLLOUT) shouldBe 0
            }
        }
    }

    test("awaitReadable on a socket that closes fails with ENOTSOCK") {
        withZmqContext { ctx ->
            val pull = ctx.open(SocketType.PULL)
            val waiting = async(start = CoroutineStart.UNDISPATCHED) { runCatching { pull.awaitReadable() } }
            pull.close()
            (withTimeout(WAIT) { waiting.await() }.exceptionOrNull() as ZmqException).error shouldBe ZmqError.ENOTSOCK
            shouldThrow<ZmqException> { pull.awaitWritable() }.error shouldBe ZmqError.ENOTSOCK
        }
    }

    test("a SUB is not readable for a message its filter drops (ZMQ_EVENTS is exact, as libzmq's has_in)") {
        withZmqContext { ctx ->
            val sub = ctx.open(SocketType.SUB)
            sub.subscribe("A")
            sub.bind("tcp://127.0.0.1:*")
            // A raw publisher that ignores subscriptions, so an unwanted topic reaches the SUB's queue.
            io.zerokt.testing.RawZmtpPeer.connect(sub.lastEndpoint!!).use { pub ->
                kotlinx.coroutines.withContext(kotlinx.coroutines.Dispatchers.IO) {
                    pub.nullHandshake("PUB")
                    pub.readFrame() // the subscription to "A" (a command or the 3.0 message form)
                    pub.sendMessage(listOf("B-unwanted".encodeToByteArray()))
                }
                repeat(10) {
                    (sub.getIntOption(ZMQ_EVENTS) and ZMQ_POLLIN) shouldBe 0
                    kotlinx.coroutines.delay(20)
                }
                kotlinx.coroutines.withContext(kotlinx.coroutines.Dispatchers.IO) {
                    pub.sendMessage(listOf("A-wanted".encodeToByteArray()))
                }
                withTimeout(WAIT) { sub.awaitReadable() }
                (sub.getIntOption(ZMQ_EVENTS) and ZMQ_POLLIN) shouldBe ZMQ_POLLIN
                sub.tryReceive()!!.decodeToString() shouldBe "A-wanted"
                (sub.getIntOption(ZMQ_EVENTS) and ZMQ_POLLIN) shouldBe 0
            }
        }
    }
})
