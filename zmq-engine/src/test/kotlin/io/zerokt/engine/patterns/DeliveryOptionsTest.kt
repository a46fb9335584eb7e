package io.zerokt.engine.patterns

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.testing.Endpoints
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.time.Duration.Companion.milliseconds

/**
 * Options that change what is queued (zmq_setsockopt(3)): CONFLATE keeps only the newest message, IMMEDIATE queues
 * only to completed connections. Over every transport.
 */
class DeliveryOptionsTest : FunSpec({
    timeout = 30_000

    overEveryTransport { transport ->
        test("CONFLATE on a PULL SHALL keep only the newest message") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL) { conflate = true }
                val push = ctx.open(SocketType.PUSH)
                connectAndAwait(pull, pull.bindFresh(transport), push)
                val count = 2_000
                repeat(count) { push.sendText("m$it") }
                val seen = receiveUntil(pull, "m${count - 1}")
                seen.size shouldBeLessThan count
                seen shouldBe seen.sortedBy { it.removePrefix("m").toInt() }
                // inproc delivers within send: only the last message is left.
                if (transport == Transport.INPROC) seen shouldBe listOf("m${count - 1}")
            }
        }

        test("CONFLATE on a SUB SHALL keep only the newest message") {
            withZmqContext { ctx ->
                // An unbounded PUB queue: at the default SNDHWM a PUB may drop the last message, which this test waits for.
                val pub = ctx.open(SocketType.PUB) { sendHighWaterMark = 0 }
                val sub = ctx.open(SocketType.SUB) {
                    conflate = true
                    subscribe("m")
                }
                val endpoint = pub.bindFresh(transport)
                connectAndAwait(pub, endpoint, sub)
                // Wait until the subscription is in place: publish until one arrives.
                withTimeout(WAIT) {
                    while (withTimeoutOrNull(20.milliseconds) { pub.sendText("m-probe"); sub.receive() } == null) Unit
                }
                val count = 2_000
                repeat(count) { pub.sendText("m$it") }
                val seen = receiveUntil(sub, "m${count - 1}").filter { it != "m-probe" }
                seen.size shouldBeLessThan count
                seen shouldBe seen.sortedBy { it.removePrefix("m").toInt() }
                if (transport == Transport.INPROC) seen shouldBe listOf("m${count - 1}")
            }
        }

        test("IMMEDIATE SHALL NOT queue messages for a connection that is not up, and queues once it is") {
            withZmqContext { ctx ->
                val endpoint = when (transport) {
                    Transport.TCP -> Endpoints.tcpWithFreePort()
                    else -> transport.freshEndpoint()
                }
                val immediate = ctx.open(SocketType.PUSH) { immediate = true }
                val queuing = ctx.open(SocketType.PUSH)
                immediate.connect(endpoint)
                queuing.connect(endpoint)

                immediate.trySend(Message("too early")) shouldBe false
                queuing.trySend(Message("queued")) shouldBe true

                val pull = ctx.open(SocketType.PULL)
                pull.bind(endpoint)
                pull.receiveWithin().decodeToString() shouldBe "queued"
                // Once its connection is up the IMMEDIATE socket queues again.
                withTimeout(WAIT) { immediate.send(Message("now")) }
                pull.receiveWithin().decodeToString() shouldBe "now"
            }
        }
    }
})

/** Receives until [last] arrives; returns every message's text, [last] included. */
private suspend fun receiveUntil(socket: Socket, last: String): List<String> {
    val seen = ArrayList<String>()
    while (seen.lastOrNull() != last) seen += socket.receiveWithin().decodeToString()
    return seen
}
