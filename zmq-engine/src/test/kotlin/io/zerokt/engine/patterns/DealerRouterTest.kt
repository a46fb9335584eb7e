package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents

/**
 * DEALER/ROUTER (RFC 28, zmq_socket(3), zmq_setsockopt(3)): the routing id a ROUTER puts before each message and
 * routes by, where that id comes from (ROUTING_ID, CONNECT_ROUTING_ID, generated), ROUTER_MANDATORY,
 * ROUTER_HANDOVER, duplicate ids, PROBE_ROUTER and ROUTER to ROUTER, over every transport.
 */
class DealerRouterTest : FunSpec({
    timeout = 30_000

    overEveryTransport { transport ->
        test("ROUTER SHALL prefix each received message with the routing id of the peer it came from, and route replies by it") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val dealers = List(3) { ctx.open(SocketType.DEALER) }
                connectAndAwait(router, router.bindFresh(transport), *dealers.toTypedArray())

                dealers.forEachIndexed { i, d -> d.sendText("from $i", "second frame") }
                val ids = arrayOfNulls<Frame>(3)
                repeat(3) {
                    val m = router.receiveWithin()
                    m.size shouldBe 3
                    m[2].decodeToString() shouldBe "second frame"
                    ids[m[1].decodeToString().removePrefix("from ").toInt()] = m[0]
                }
                ids.toSet().size shouldBe 3
                // Replies go back to exactly the peer named.
                for (i in 2 downTo 0) router.send(Message(ids[i]!!, Frame.of("to $i")))
                dealers.forEachIndexed { i, d -> d.receiveWithin().decodeToString() shouldBe "to $i" }
            }
        }

        test("a generated routing id SHALL be 5 bytes starting with a zero byte") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val dealer = ctx.open(SocketType.DEALER)
                connectAndAwait(router, router.bindFresh(transport), dealer)
                dealer.sendText("hi")
                val id = router.receiveWithin()[0]
                id.size shouldBe 5
                id[0] shouldBe 0.toByte()
            }
        }

        test("a ROUTING_ID set on the DEALER SHALL be the id the ROUTER sees and routes by") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val dealer = ctx.open(SocketType.DEALER) { routingId = "alice".encodeToByteArray() }
                connectAndAwait(router, router.bindFresh(transport), dealer)
                dealer.sendText("hi")
                router.receiveStrings() shouldContainExactly listOf("alice", "hi")
                router.sendText("alice", "hello alice")
                dealer.receiveWithin().decodeToString() shouldBe "hello alice"
            }
        }

        test("ROUTER_MANDATORY SHALL make a send to an unknown routing id fail with EHOSTUNREACH") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER) { routerMandatory = true }
                val dealer = ctx.open(SocketType.DEALER) { routingId = "known".encodeToByteArray() }
                connectAndAwait(router, router.bindFresh(transport), dealer)

                shouldThrow<ZmqException> { router.send(Message.of("unknown", "x")) }.error shouldBe ZmqError.EHOSTUNREACH
                shouldThrow<ZmqException> { router.trySend(Message.of("unknown", "x")) }.error shouldBe ZmqError.EHOSTUNREACH
                router.sendText("known", "delivered")
                dealer.receiveWithin().decodeToString() shouldBe "delivered"
            }
        }

        test("ROUTER_MANDATORY SHALL make a send to a peer at its high-water mark wait, then fail with EAGAIN (trySend: false)") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER) {
                    routerMandatory = true
                    sendHighWaterMark = 1
                    sendTimeout = 50
                }
                val dealer = ctx.open(SocketType.DEALER) {
                    routingId = "slow".encodeToByteArray()
                    receiveHighWaterMark = 1
                }
                connectAndAwait(router, router.bindFresh(transport), dealer)
                val payload = ByteArray(64 * 1024)
                val accepted = router.fillUntilRefused(limit = 100_000) { Message.of("slow".encodeToByteArray(), "m$it".encodeToByteArray(), payload) }
                var sent = accepted
                var failure: ZmqException? = null
                while (failure == null && sent < 100_000) {
                    try {
                        router.send(Message.of("slow".encodeToByteArray(), "m$sent".encodeToByteArray(), payload))
                        sent++
                    } catch (e: ZmqException) {
                        failure = e
                    }
                }
                failure?.error shouldBe ZmqError.EAGAIN
                List(sent) { dealer.receiveWithin()[0].decodeToString() } shouldContainExactly List(sent) { "m$it" }
            }
        }

        test("without ROUTER_MANDATORY a message to an unknown routing id SHALL be dropped silently") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val dealer = ctx.open(SocketType.DEALER) { routingId = "known".encodeToByteArray() }
                connectAndAwait(router, router.bindFresh(transport), dealer)

                router.sendText("unknown", "lost")
                router.trySend(Message.of("unknown", "lost")) shouldBe true
                router.sendText("known", "delivered")
                dealer.receiveWithin().decodeToString() shouldBe "delivered"
                dealer.tryReceive() shouldBe null
            }
        }

        test("CONNECT_ROUTING_ID SHALL name the peer of the next connect, so the ROUTER can address it at once") {
            withZmqContext { ctx ->
                val server = ctx.open(SocketType.ROUTER)
                val client = ctx.open(SocketType.ROUTER) {
                    routingId = "client".encodeToByteArray()
                    connectRoutingId = "server".encodeToByteArray()
                }
                connectAndAwait(server, server.bindFresh(transport), client)
                client.sendText("server", "hello")
                server.receiveStrings() shouldContainExactly listOf("client", "hello")
                server.sendText("client", "back")
                client.receiveStrings() shouldContainExactly listOf("server", "back")
            }
        }

        test("ROUTER to ROUTER: both sides address each other by routing id") {
            withZmqContext { ctx ->
                val a = ctx.open(SocketType.ROUTER) { routingId = "A".encodeToByteArray() }
                val b = ctx.open(SocketType.ROUTER) {
                    routingId = "B".encodeToByteArray()
                    routerMandatory = true
                }
                connectAndAwait(a, a.bindFresh(transport), b)
                // B learns A's id from the handshake (no CONNECT_ROUTING_ID here).
                b.sendText("A", "ping")
                a.receiveStrings() shouldContainExactly listOf("B", "ping")
                a.sendText("B", "pong")
                b.receiveStrings() shouldContainExactly listOf("A", "pong")
            }
        }

        test("ROUTER_HANDOVER SHALL give a routing id in use to the new peer that claims it") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER) { routerHandover = true }
                val endpoint = router.bindFresh(transport)
                val first = ctx.open(SocketType.DEALER) { routingId = "worker".encodeToByteArray() }
                connectAndAwait(router, endpoint, first)
                first.sendText("from first")
                router.receiveStrings() shouldContainExactly listOf("worker", "from first")

                val second = ctx.open(SocketType.DEALER) { routingId = "worker".encodeToByteArray() }
                connectAndAwait(router, endpoint, second)
                router.sendText("worker", "to the new one")
                second.receiveWithin().decodeToString() shouldBe "to the new one"
                second.sendText("from second")
                router.receiveStrings() shouldContainExactly listOf("worker", "from second")
            }
        }

        test("without ROUTER_HANDOVER a second peer with a routing id in use SHALL be refused and the first keeps it") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val endpoint = router.bindFresh(transport)
                val first = ctx.open(SocketType.DEALER) { routingId = "worker".encodeToByteArray() }
                connectAndAwait(router, endpoint, first)

                val second = ctx.open(SocketType.DEALER) { routingId = "worker".encodeToByteArray() }
                val routerEvents = recordEvents(router.monitor())
                val secondEvents = recordEvents(second.monitor())
                second.connect(endpoint)
                if (transport == Transport.INPROC) {
                    // inproc links within connect: the refused DEALER is left without a peer to queue to.
                    second.trySend(Message("nowhere")) shouldBe false
                } else {
                    // The ROUTER accepts the connection, finishes the handshake, then drops it.
                    routerEvents.await(MonitorEventType.DISCONNECTED, WAIT)
                    secondEvents.await(MonitorEventType.DISCONNECTED, WAIT)
                }
                routerEvents.close()
                secondEvents.close()

                router.sendText("worker", "still yours")
                first.receiveWithin().decodeToString() shouldBe "still yours"
                first.sendText("me")
                router.receiveStrings() shouldContainExactly listOf("worker", "me")
                second.tryReceive() shouldBe null
            }
        }

        test("PROBE_ROUTER SHALL make a DEALER send an empty message on connect, which the ROUTER receives as [id, empty]") {
            withZmqContext { ctx ->
                val router = ctx.open(SocketType.ROUTER)
                val dealer = ctx.open(SocketType.DEALER) {
                    routingId = "prober".encodeToByteArray()
                    probeRouter = true
                }
                connectAndAwait(router, router.bindFresh(transport), dealer)
                val probe = router.receiveWithin()
                probe.frames shouldContainExactly listOf(Frame.of("prober"), Frame.EMPTY)
                dealer.sendText("after the probe")
                router.receiveStrings() shouldContainExactly listOf("prober", "after the probe")
            }
        }

        test("DEALER SHALL round-robin to its ROUTER peers and fair-queue their replies") {
            withZmqContext { ctx ->
                val dealer = ctx.open(SocketType.DEALER)
                val routers = List(2) { ctx.open(SocketType.ROUTER) }
                connectAndAwait(dealer, dealer.bindFresh(transport), *routers.toTypedArray())
                repeat(4) { dealer.sendText("m$it") }
                val a = List(2) { routers[0].receiveWithin() }
                val b = List(2) { routers[1].receiveWithin() }
                val got = (a + b).map { it[1].decodeToString() }
                got.toSet() shouldBe setOf("m0", "m1", "m2", "m3")
                a[0][0] shouldNotBe Frame.EMPTY
                routers[0].send(Message(a[0][0], Frame.of("r0")))
                routers[1].send(Message(b[0][0], Frame.of("r1")))
                setOf(dealer.receiveWithin().decodeToString(), dealer.receiveWithin().decodeToString()) shouldBe setOf("r0", "r1")
            }
        }
    }
})
