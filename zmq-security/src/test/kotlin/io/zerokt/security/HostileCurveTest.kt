package io.zerokt.security

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.testing.RawZmtpPeer
import io.zerokt.testing.Zmtp
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import io.zerokt.testing.testContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.random.Random
import kotlin.time.Duration.Companion.seconds

/**
 * A CURVE server under hostile raw peers over tcp: HELLOs of random sizes and contents, a HELLO that never comes,
 * a message frame instead of a command. Each raw peer is dropped with a monitor event, and a real client connected
 * next to them keeps exchanging messages.
 */
class HostileCurveTest : FunSpec({
    timeout = 90_000

    test("garbage HELLOs are dropped one by one while a real CURVE client keeps its messages flowing") {
        val server = CurveKeyPair.generate()
        val client = CurveKeyPair.generate()
        val ctx = testContext()
        try {
            withTimeout(60.seconds) {
                coroutineScope {
                    val pull = ctx.socket(SocketType.PULL).apply { linger = 0; curveServer = true; curveSecretKey = server.secretKey }
                    val events = recordEvents(pull.monitor())
                    pull.bind("tcp://127.0.0.1:*")
                    val endpoint = pull.lastEndpoint!!
                    val push = ctx.socket(SocketType.PUSH).apply {
                        linger = 0
                        curveServerKey = server.publicKey
                        curvePublicKey = client.publicKey
                        curveSecretKey = client.secretKey
                    }
                    push.connect(endpoint)
                    val random = Random(4)
                    for (round in 0 until 40) {
                        val body = when (round % 4) {
                            0 -> Zmtp.commandBody("HELLO", random.nextBytes(random.nextInt(0, 400)))
                            1 -> Zmtp.commandBody("HELLO", ByteArray(194).also { random.nextBytes(it); it[0] = 1; it[1] = 0 })
                            2 -> Zmtp.commandBody("INITIATE", random.nextBytes(300))
                            else -> random.nextBytes(1 + random.nextInt(300)).also { it[0] = 0x05 }
                        }
                        withContext(Dispatchers.IO) {
                            RawZmtpPeer.connect(endpoint).use { raw ->
                                raw.write(Zmtp.greeting(mechanism = "CURVE"))
                                raw.write(if (round % 4 == 3) Zmtp.message(listOf(body)) else Zmtp.frame(body, command = true))
                                raw.awaitClosedByPeer() shouldBe true
                            }
                        }
                        withTimeout(10.seconds) { push.send(Message("m$round")) }
                        withTimeout(10.seconds) { pull.receive() }.decodeToString() shouldBe "m$round"
                    }
                    events.await(MonitorEventType.HANDSHAKE_FAILED_PROTOCOL, 10.seconds)
                    events.close()
                }
            }
        } finally {
            ctx.close()
        }
    }
})
