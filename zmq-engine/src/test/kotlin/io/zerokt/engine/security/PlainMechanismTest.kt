package io.zerokt.engine.security

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveAtLeastSize
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.ZMQ_MECHANISM
import io.zerokt.engine.patterns.Transport
import io.zerokt.engine.patterns.WAIT
import io.zerokt.engine.patterns.bindFresh
import io.zerokt.engine.patterns.open
import io.zerokt.engine.patterns.overStreamTransports
import io.zerokt.engine.patterns.receiveWithin
import io.zerokt.engine.patterns.sendText
import io.zerokt.engine.patterns.withZmqContext
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents

/**
 * PLAIN (RFC 24) between two ZeroKt sockets over tcp and ipc, with a ZAP handler (RFC 27) in the same context:
 * accepted credentials, refused ones (HANDSHAKE_FAILED_AUTH with the ZAP status code on both sides), no handler
 * (libzmq 4.3: HANDSHAKE_FAILED_NO_DETAIL), User-Id and Peer-Address on received messages, and the client's
 * reconnect back-off after a refusal. Wire bytes are in [PlainCodecTest].
 */
class PlainMechanismTest : FunSpec({
    timeout = 60_000

    overStreamTransports { transport ->
        test("a PLAIN client with accepted credentials reaches the server, whose messages carry User-Id and Peer-Address") {
            withZmqContext { ctx ->
                val zap = TestZapHandler(ctx, mapOf("admin" to "secret"))
                val zapJob = zap.start(this)
                val server = ctx.open(SocketType.PULL) { plainServer = true }
                val client = ctx.open(SocketType.PUSH) { plainUsername = "admin"; plainPassword = "secret" }
                server.getOption(ZMQ_MECHANISM) shouldBe 1
                client.getOption(ZMQ_MECHANISM) shouldBe 1
                client.connect(server.bindFresh(transport))
                client.sendText("hello")
                val m = server.receiveWithin()
                m.decodeToString() shouldBe "hello"
                m.metadata!!.userId shouldBe "admin"
                m.metadata!!["Socket-Type"] shouldBe "PUSH"
                if (transport == Transport.TCP) m.metadata!!.peerAddress shouldBe "127.0.0.1"
                val req = zap.requests.first()
                req[0].decodeToString() shouldBe "1.0"
                req[5].decodeToString() shouldBe "PLAIN"
                req[6].decodeToString() shouldBe "admin"
                zapJob.cancel()
            }
        }

        test("a wrong password is refused with HANDSHAKE_FAILED_AUTH 400 on both sides and the client backs off by RECONNECT_IVL") {
            withZmqContext { ctx ->
                val zap = TestZapHandler(ctx, mapOf("admin" to "secret"))
                val zapJob = zap.start(this)
                val server = ctx.open(SocketType.PULL) { plainServer = true }
                val client = ctx.open(SocketType.PUSH) { plainUsername = "admin"; plainPassword = "wrong"; reconnectInterval = 300 }
                val serverEvents = recordEvents(server.monitor())
                val clientEvents = recordEvents(client.monitor())
                client.connect(server.bindFresh(transport))
                serverEvents.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, WAIT).value shouldBe 400
                clientEvents.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, WAIT).value shouldBe 400
                val start = System.nanoTime()
                // Two more refused attempts: each one waits RECONNECT_IVL first, so no tight loop.
                repeat(2) { clientEvents.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, WAIT) }
                (System.nanoTime() - start) / 1_000_000 shouldBeGreaterThanOrEqual 2 * 300L - 50
                zap.requests shouldHaveAtLeastSize 3
                serverEvents.close()
                clientEvents.close()
                zapJob.cancel()
            }
        }

        test("with no ZAP handler bound a PLAIN server refuses every client with HANDSHAKE_FAILED_NO_DETAIL, as libzmq 4.3") {
            withZmqContext { ctx ->
                val server = ctx.open(SocketType.PULL) { plainServer = true }
                val client = ctx.open(SocketType.PUSH) { plainUsername = "admin"; plainPassword = "secret" }
                val serverEvents = recordEvents(server.monitor())
                client.connect(server.bindFresh(transport))
                serverEvents.await(MonitorEventType.HANDSHAKE_FAILED_NO_DETAIL, WAIT)
                serverEvents.close()
            }
        }
    }
})
