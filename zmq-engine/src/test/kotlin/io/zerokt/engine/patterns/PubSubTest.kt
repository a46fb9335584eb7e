package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.time.Duration.Companion.milliseconds

/**
 * PUB/SUB and XPUB/XSUB (RFC 29, zmq_socket(3), zmq_setsockopt(3)): prefix filtering, unsubscribing, several
 * subscribers, INVERT_MATCHING, dropping at the high-water mark, subscriptions restored after the publisher
 * restarts, and the XPUB options (VERBOSE, VERBOSER, MANUAL, WELCOME_MSG, NODROP), over every transport.
 *
 * A PUB says nothing when a subscription reaches it; tests wait for that by publishing probes on a private topic
 * until one arrives ([awaitSubscribed]). An XPUB says so itself: tests wait for its `\x01topic` message.
 */
class PubSubTest : FunSpec({
    timeout = 30_000

    overEveryTransport { transport ->
        test("SUB SHALL receive only messages whose first frame starts with a subscribed prefix") {
            withZmqContext { ctx ->
                val pub = ctx.open(SocketType.PUB)
                val sub = ctx.open(SocketType.SUB) { subscribe("ab") }
                connectAndAwait(pub, pub.bindFresh(transport), sub)
                awaitSubscribed(pub, sub)

                for (t in listOf("a", "abc", "xab", "b", "ab")) pub.sendText(t, "body of $t")
                sub.receiveData().frames.map { it.decodeToString() } shouldContainExactly listOf("abc", "body of abc")
                sub.receiveData().frames.map { it.decodeToString() } shouldContainExactly listOf("ab", "body of ab")
            }
        }

        test("the empty topic SHALL match every message, and each subscriber SHALL get exactly its matches") {
            withZmqContext { ctx ->
                val pub = ctx.open(SocketType.PUB)
                val all = ctx.open(SocketType.SUB) { subscribe("") }
                val a = ctx.open(SocketType.SUB) { subscribe("a") }
                val b = ctx.open(SocketType.SUB) {
                    subscribe("b")
                    subscribe("c")
                }
                connectAndAwait(pub, pub.bindFresh(transport), all, a, b)
                for (s in listOf(all, a, b)) awaitSubscribed(pub, s)

                for (t in listOf("a1", "b1", "c1", "d1", "end")) pub.sendText(t)
                List(5) { all.receiveData().decodeToString() } shouldContainExactly listOf("a1", "b1", "c1", "d1", "end")
                a.receiveData().decodeToString() shouldBe "a1"
                List(2) { b.receiveData().decodeToString() } shouldContainExactly listOf("b1", "c1")
            }
        }

        test("after an unsubscribe the SUB SHALL no longer receive that topic, and keeps its other subscriptions") {
            withZmqContext { ctx ->
                val pub = ctx.open(SocketType.PUB)
                val sub = ctx.open(SocketType.SUB) {
                    subscribe("a")
                    subscribe("b")
                }
                connectAndAwait(pub, pub.bindFresh(transport), sub)
                awaitSubscribed(pub, sub)
                pub.sendText("a1")
                pub.sendText("b1")
                List(2) { sub.receiveData().decodeToString() } shouldContainExactly listOf("a1", "b1")

                sub.unsubscribe("a")
                pub.sendText("a2")
                pub.sendText("b2")
                sub.receiveData().decodeToString() shouldBe "b2"
            }
        }

        test("INVERT_MATCHING SHALL deliver exactly the messages that match no subscription") {
            withZmqContext { ctx ->
                val pub = ctx.open(SocketType.PUB) { invertMatching = true }
                val sub = ctx.open(SocketType.SUB) {
                    invertMatching = true
                    subscribe("a")
                }
                connectAndAwait(pub, pub.bindFresh(transport), sub)
                for (t in listOf("a1", "b1", "ab", "c1")) pub.sendText(t)
                List(2) { sub.receiveWithin().decodeToString() } shouldContainExactly listOf("b1", "c1")
            }
        }

        test("PUB SHALL silently drop messages for a subscriber at its high-water mark, never blocking the sender") {
            withZmqContext { ctx ->
                val pub = ctx.open(SocketType.PUB) { sendHighWaterMark = 1 }
                val sub = ctx.open(SocketType.SUB) {
                    receiveHighWaterMark = 1
                    subscribe("")
                }
                connectAndAwait(pub, pub.bindFresh(transport), sub)
                awaitSubscribed(pub, sub)

                val count = 20_000
                val payload = ByteArray(1024)
                // Every send returns at once although nobody reads (the whole burst is bounded by the test timeout).
                withTimeout(WAIT) { for (i in 0 until count) pub.send(Message.of("m$i".encodeToByteArray(), payload)) }
                pub.trySend(Message("more")) shouldBe true

                // What got through arrives in order; the rest was dropped.
                val seen = ArrayList<Int>()
                withTimeout(WAIT) {
                    while (true) {
                        pub.send(Message("end"))
                        val m = withTimeoutOrNull(20.milliseconds) { sub.receive() } ?: continue
                        val text = m[0].decodeToString()
                        if (text == "end") break
                        if (text.startsWith("m") && text != "more") seen += text.removePrefix("m").toInt()
                    }
                }
                seen.size shouldBeLessThan count
                seen shouldBe seen.sorted()
            }
        }

        test("XPUB SHALL pass each new topic up once as \\x01topic, and the last unsubscription as \\x00topic") {
            withZmqContext { ctx ->
                val xpub = ctx.open(SocketType.XPUB)
                val endpoint = xpub.bindFresh(transport)
                val s1 = ctx.open(SocketType.SUB) { subscribe("a") }
                val s2 = ctx.open(SocketType.SUB)
                connectAndAwait(xpub, endpoint, s1, s2)
                xpub.receiveWithin() shouldBe subscription("a")

                s2.subscribe("a")
                s2.subscribe("m1")
                // The duplicate "a" was not passed up: the next is s2's "m1".
                xpub.receiveWithin() shouldBe subscription("m1")

                s1.unsubscribe("a")
                s1.subscribe("m2")
                // s2 still has "a": that unsubscription is not passed up either.
                xpub.receiveWithin() shouldBe subscription("m2")

                s2.unsubscribe("a")
                xpub.receiveWithin() shouldBe unsubscription("a")
            }
        }

        test("XPUB SHALL generate an unsubscription for the application when a subscriber disconnects") {
            withZmqContext { ctx ->
                val xpub = ctx.open(SocketType.XPUB)
                val sub = ctx.open(SocketType.SUB) { subscribe("gone") }
                connectAndAwait(xpub, xpub.bindFresh(transport), sub)
                xpub.receiveWithin() shouldBe subscription("gone")
                sub.close()
                xpub.receiveWithin() shouldBe unsubscription("gone")
            }
        }

        test("XPUB_VERBOSE SHALL pass duplicate subscriptions up, and XPUB_VERBOSER unsubscriptions too") {
            withZmqContext { ctx ->
                val verbose = ctx.open(SocketType.XPUB) { xpubVerbose = true }
                val verboser = ctx.open(SocketType.XPUB) { xpubVerboser = true }
                for (xpub in listOf(verbose, verboser)) {
                    val endpoint = xpub.bindFresh(transport)
                    val s1 = ctx.open(SocketType.SUB) { subscribe("a") }
                    val s2 = ctx.open(SocketType.SUB) { subscribe("a") }
                    connectAndAwait(xpub, endpoint, s1, s2)
                    xpub.receiveWithin() shouldBe subscription("a")
                    xpub.receiveWithin() shouldBe subscription("a")

                    s1.unsubscribe("a")
                    s1.subscribe("m")
                    if (xpub === verboser) xpub.receiveWithin() shouldBe unsubscription("a")
                    xpub.receiveWithin() shouldBe subscription("m")
                }
            }
        }

        test("XPUB_MANUAL SHALL pass subscriptions up without applying them; ZMQ_SUBSCRIBE on the XPUB applies one to the last subscriber") {
            withZmqContext { ctx ->
                val xpub = ctx.open(SocketType.XPUB) { xpubManual = true }
                val xsub = ctx.open(SocketType.XSUB)
                connectAndAwait(xpub, xpub.bindFresh(transport), xsub)

                xsub.send(subscription("A"))
                xpub.receiveWithin() shouldBe subscription("A")
                xpub.subscribe("B")
                xpub.sendText("A message")
                xpub.sendText("B message")
                xsub.receiveWithin().decodeToString() shouldBe "B message"
            }
        }

        test("XPUB_WELCOME_MSG SHALL be sent to each new subscriber") {
            withZmqContext { ctx ->
                val xpub = ctx.open(SocketType.XPUB) { xpubWelcomeMessage = "W".encodeToByteArray() }
                val sub = ctx.open(SocketType.SUB) { subscribe("W") }
                connectAndAwait(xpub, xpub.bindFresh(transport), sub)
                xpub.receiveWithin() shouldBe subscription("W")
                sub.receiveWithin().decodeToString() shouldBe "W"
            }
        }

        test("XPUB_NODROP SHALL refuse (trySend) or block and fail with EAGAIN (SNDTIMEO) instead of dropping, and lose nothing") {
            withZmqContext { ctx ->
                val xpub = ctx.open(SocketType.XPUB) {
                    xpubNoDrop = true
                    sendHighWaterMark = 2
                    sendTimeout = 50
                }
                val sub = ctx.open(SocketType.SUB) {
                    receiveHighWaterMark = 2
                    subscribe("")
                }
                connectAndAwait(xpub, xpub.bindFresh(transport), sub)
                xpub.receiveWithin() shouldBe subscription("")

                val payload = ByteArray(64 * 1024)
                fun message(i: Int) = Message.of("m$i".encodeToByteArray(), payload)
                var accepted = xpub.fillUntilRefused(limit = 100_000) { message(it) }
                // A timed send then waits for room; once it cannot get any, it fails with EAGAIN.
                var failure: ZmqException? = null
                while (failure == null && accepted < 100_000) {
                    try {
                        xpub.send(message(accepted))
                        accepted++
                    } catch (e: ZmqException) {
                        failure = e
                    }
                }
                failure?.error shouldBe ZmqError.EAGAIN
                accepted shouldBeGreaterThan 0

                List(accepted) { sub.receiveWithin()[0].decodeToString() } shouldContainExactly List(accepted) { "m$it" }
            }
        }

        test("XSUB SHALL send \\x01topic messages as subscriptions, and receive what the publisher lets through") {
            withZmqContext { ctx ->
                val xpub = ctx.open(SocketType.XPUB)
                val xsub = ctx.open(SocketType.XSUB)
                connectAndAwait(xpub, xpub.bindFresh(transport), xsub)

                xsub.send(subscription("news"))
                xpub.receiveWithin() shouldBe subscription("news")
                xpub.sendText("weather")
                xpub.sendText("news 1")
                xsub.receiveWithin().decodeToString() shouldBe "news 1"

                xsub.send(unsubscription("news"))
                xpub.receiveWithin() shouldBe unsubscription("news")
            }
        }

        test("XSUB SHALL send any other message upstream, where the XPUB receives it as data") {
            withZmqContext { ctx ->
                val xpub = ctx.open(SocketType.XPUB)
                val xsub = ctx.open(SocketType.XSUB)
                connectAndAwait(xpub, xpub.bindFresh(transport), xsub)
                xsub.sendText("hello upstream", "second")
                xpub.receiveStrings() shouldContainExactly listOf("hello upstream", "second")
            }
        }

        test("PUB SHALL NOT receive and SUB SHALL NOT send: ENOTSUP") {
            withZmqContext { ctx ->
                val pub = ctx.open(SocketType.PUB)
                val sub = ctx.open(SocketType.SUB)
                shouldThrow<ZmqException> { pub.receive() }.error shouldBe ZmqError.ENOTSUP
                shouldThrow<ZmqException> { sub.send(Message("x")) }.error shouldBe ZmqError.ENOTSUP
            }
        }
    }

    overStreamTransports { transport ->
        test("SUB SHALL send its subscriptions again when it reconnects to a restarted PUB") {
            withZmqContext { ctx ->
                val sub = ctx.open(SocketType.SUB) { subscribe("news") }
                val first = ctx.open(SocketType.PUB)
                val endpoint = first.bindFresh(transport)
                val events = recordEvents(sub.monitor())
                connectAndAwait(first, endpoint, sub)
                awaitSubscribed(first, sub)
                first.sendText("news 1")
                sub.receiveData().decodeToString() shouldBe "news 1"

                first.close()
                events.await(MonitorEventType.DISCONNECTED, WAIT)
                val second = ctx.open(SocketType.PUB)
                second.bind(endpoint)
                events.await(MonitorEventType.HANDSHAKE_SUCCEEDED, WAIT)
                awaitSubscribed(second, sub)
                second.sendText("other")
                second.sendText("news 2")
                sub.receiveData().decodeToString() shouldBe "news 2"
                events.close()
            }
        }
    }
})

/** The private topic of [awaitSubscribed]'s probes (no test publishes on it). */
private const val PROBE = "\u0002probe"

/**
 * Returns once [pub] holds every subscription [sub] made so far: subscribes [sub] to a private probe topic too and
 * publishes probes until one arrives (subscriptions travel in order, so the earlier ones have arrived as well).
 */
private suspend fun awaitSubscribed(pub: Socket, sub: Socket) {
    sub.subscribe(PROBE)
    withTimeout(WAIT) {
        while (true) {
            pub.send(Message(PROBE))
            val m = withTimeoutOrNull(20.milliseconds) { sub.receive() } ?: continue
            if (m[0].decodeToString() == PROBE) break
        }
    }
    sub.unsubscribe(PROBE)
}

/** The next message that is not a probe of [awaitSubscribed] (a subscriber to everything may still get late ones). */
private suspend fun Socket.receiveData(): Message {
    while (true) {
        val m = receiveWithin()
        if (m[0].decodeToString() != PROBE) return m
    }
}

private fun subscription(topic: String) = Message(byteArrayOf(1) + topic.encodeToByteArray())

private fun unsubscription(topic: String) = Message(byteArrayOf(0) + topic.encodeToByteArray())
