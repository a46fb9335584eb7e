package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.launch

/**
 * REQ/REP (RFC 28, zmq_socket(3) "Request-reply pattern"): the REQ and REP state machines, the envelope a REQ adds
 * and a REP keeps, REQ_RELAXED and REQ_CORRELATE, over every transport. DEALER/ROUTER routing is in [DealerRouterTest].
 */
class ReqRepTest : FunSpec({
    timeout = 30_000

    overEveryTransport { transport ->
        test("REQ and REP SHALL strictly alternate requests and replies, multipart bodies intact") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val req = ctx.open(SocketType.REQ)
                connectAndAwait(rep, rep.bindFresh(transport), req)
                repeat(5) { i ->
                    req.sendText("q$i", "", "tail")
                    rep.receiveStrings() shouldContainExactly listOf("q$i", "", "tail")
                    rep.sendText("r$i", "part2")
                    req.receiveStrings() shouldContainExactly listOf("r$i", "part2")
                }
            }
        }

        test("REP SHALL fair-queue requests from several REQs and send each reply back to the REQ that asked") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val reqs = List(3) { ctx.open(SocketType.REQ) }
                connectAndAwait(rep, rep.bindFresh(transport), *reqs.toTypedArray())
                reqs.forEachIndexed { i, req -> req.sendText("client $i") }
                repeat(3) {
                    val q = rep.receiveWithin().decodeToString()
                    rep.sendText("answer to $q")
                }
                reqs.forEachIndexed { i, req -> req.receiveWithin().decodeToString() shouldBe "answer to client $i" }
            }
        }

        test("REQ SHALL fail with EFSM on a second send before the reply, and on a receive before any send") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val req = ctx.open(SocketType.REQ)
                connectAndAwait(rep, rep.bindFresh(transport), req)

                shouldThrow<ZmqException> { req.receive() }.error shouldBe ZmqError.EFSM
                req.sendText("one")
                shouldThrow<ZmqException> { req.send(Message("two")) }.error shouldBe ZmqError.EFSM
                shouldThrow<ZmqException> { req.trySend(Message("two")) }.error shouldBe ZmqError.EFSM
                // The refused request did not disturb the exchange in progress.
                rep.receiveWithin().decodeToString() shouldBe "one"
                rep.sendText("reply")
                req.receiveWithin().decodeToString() shouldBe "reply"
            }
        }

        test("REP SHALL fail with EFSM on a send before a request, and on a second receive before the reply") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val req = ctx.open(SocketType.REQ)
                connectAndAwait(rep, rep.bindFresh(transport), req)

                shouldThrow<ZmqException> { rep.send(Message("unasked")) }.error shouldBe ZmqError.EFSM
                req.sendText("q")
                rep.receiveWithin().decodeToString() shouldBe "q"
                shouldThrow<ZmqException> { rep.receive() }.error shouldBe ZmqError.EFSM
                rep.sendText("a")
                req.receiveWithin().decodeToString() shouldBe "a"
            }
        }

        test("REQ SHALL route requests round-robin across its REP peers, each reply coming back from the REP asked") {
            withZmqContext { ctx ->
                val req = ctx.open(SocketType.REQ)
                val reps = List(2) { ctx.open(SocketType.REP) }
                connectAndAwait(req, req.bindFresh(transport), *reps.toTypedArray())
                val servers = reps.mapIndexed { k, rep ->
                    launch {
                        while (true) {
                            val q = rep.receive().decodeToString()
                            rep.sendText("$q from $k")
                        }
                    }
                }

                val servedBy = List(6) { i ->
                    req.sendText("q$i")
                    val reply = req.receiveWithin().decodeToString()
                    reply.substringBefore(" from ") shouldBe "q$i"
                    reply.substringAfter(" from ").toInt()
                }
                servedBy shouldContainExactly List(6) { (servedBy[0] + it) % 2 }
                servers.forEach { it.cancel() }
            }
        }

        test("REQ_RELAXED SHALL allow a new request before the reply, and REQ_CORRELATE SHALL then accept only the new reply") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val req = ctx.open(SocketType.REQ) {
                    reqRelaxed = true
                    reqCorrelate = true
                }
                connectAndAwait(router, router.bindFresh(transport), req)

                req.sendText("first")
                val first = router.receiveWithin()
                req.sendText("second")
                val second = router.receiveWithin()
                // [routing id, request id, delimiter, body]
                first.size shouldBe 4
                first[2].isEmpty shouldBe true
                first[3].decodeToString() shouldBe "first"
                second[3].decodeToString() shouldBe "second"
                first[1] shouldNotBe second[1]

                // The stale reply to "first" is ignored; the reply to "second" is delivered.
                router.send(Message(first[0], first[1], Frame.EMPTY, Frame.of("stale")))
                router.send(Message(second[0], second[1], Frame.EMPTY, Frame.of("fresh")))
                req.receiveWithin().decodeToString() shouldBe "fresh"
            }
        }

        test("REQ_CORRELATE SHALL ignore a reply whose request id does not match the request in flight") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val req = ctx.open(SocketType.REQ) { reqCorrelate = true }
                connectAndAwait(router, router.bindFresh(transport), req)

                req.sendText("ask")
                val request = router.receiveWithin()
                val wrongId = request[1].toByteArray().also { it[3] = (it[3] + 1).toByte() }
                router.send(Message(request[0], Frame.of(wrongId), Frame.EMPTY, Frame.of("forged")))
                router.send(Message(request[0], request[1], Frame.EMPTY, Frame.of("genuine")))
                req.receiveWithin().decodeToString() shouldBe "genuine"
            }
        }

        test("REP SHALL keep the envelope of a DEALER's request (frames up to the empty delimiter) and put it before the reply") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val dealer = ctx.open(SocketType.DEALER)
                connectAndAwait(rep, rep.bindFresh(transport), dealer)

                dealer.sendText("hop1", "hop2", "", "body", "more")
                rep.receiveStrings() shouldContainExactly listOf("body", "more")
                rep.sendText("answer")
                dealer.receiveStrings() shouldContainExactly listOf("hop1", "hop2", "", "answer")
            }
        }

        test("REP SHALL discard a request without an empty delimiter and go on serving the next one") {
            withZmqContext { ctx ->
                val rep = ctx.open(SocketType.REP)
                val dealer = ctx.open(SocketType.DEALER)
                connectAndAwait(rep, rep.bindFresh(transport), dealer)

                dealer.sendText("no delimiter")
                dealer.sendText("", "good")
                rep.receiveWithin().decodeToString() shouldBe "good"
                rep.sendText("ok")
                dealer.receiveStrings() shouldContainExactly listOf("", "ok")
            }
        }

        test("REQ SHALL prefix each request with an empty delimiter, as a ROUTER server sees it") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val req = ctx.open(SocketType.REQ)
                connectAndAwait(router, router.bindFresh(transport), req)

                req.sendText("a", "b")
                val request = router.receiveWithin()
                request.drop(1).frames.map { it.decodeToString() } shouldContainExactly listOf("", "a", "b")
                router.send(Message(request[0], Frame.EMPTY, Frame.of("reply")))
                req.receiveWithin().decodeToString() shouldBe "reply"
            }
        }
    }

    // A REQ or REP over tcp/ipc writes a message itself while its connection's writer is idle, and queues it while
    // the writer is busy; these mix the two paths and check that order and content hold.
    overStreamTransports { transport ->
        test("a REQ_RELAXED stream of requests reaches the ROUTER in order, whether written by the sender or queued") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val req = ctx.open(SocketType.REQ) { reqRelaxed = true }
                connectAndAwait(router, router.bindFresh(transport), req)
                val count = 5_000
                val sender = launch { repeat(count) { req.sendText("q$it") } }
                repeat(count) { router.receiveStrings().drop(1) shouldContainExactly listOf("", "q$it") }
                sender.join()
            }
        }

        test("a REP's replies reach a DEALER in order, whether written by the REP's thread or queued") {
            withZmqContext { ctx ->
                // Unbounded: a REP drops a reply its pipe has no room for (as libzmq), and this DEALER reads late.
                val rep = ctx.open(SocketType.REP) { sendHighWaterMark = 0 }
                val dealer = ctx.open(SocketType.DEALER)
                connectAndAwait(rep, rep.bindFresh(transport), dealer)
                val count = 5_000
                val server = launch { repeat(count) { rep.sendText("r" + rep.receiveWithin().decodeToString().drop(1)) } }
                val client = launch { repeat(count) { dealer.sendText("", "q$it") } }
                repeat(count) { dealer.receiveStrings() shouldContainExactly listOf("", "r$it") }
                client.join()
                server.join()
            }
        }

        test("requests larger than the kernel's send buffer arrive whole and in order (the rest of a direct write goes through the writer)") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val req = ctx.open(SocketType.REQ) {
                    reqRelaxed = true
                    setOption(io.zerokt.ZMQ_SNDBUF, 4096)
                }
                connectAndAwait(router, router.bindFresh(transport), req)
                val sizes = List(40) { 1 + (it * 37_003) % 300_000 }
                val sender = launch { sizes.forEachIndexed { i, size -> req.send(Message.of(ByteArray(size) { b -> (b + i).toByte() })) } }
                sizes.forEachIndexed { i, size ->
                    val body = router.receiveWithin().frames.last().toByteArray()
                    body.size shouldBe size
                    body.indices.all { b -> body[b] == (b + i).toByte() } shouldBe true
                }
                sender.join()
            }
        }
    }
})
