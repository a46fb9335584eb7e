package io.zerokt.engine.hostile

import io.zerokt.testing.testContext
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import io.zerokt.ProtocolError
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.testing.RawZmtpPeer
import io.zerokt.testing.Zmtp
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * Bad input from a peer drops that connection, emits a monitor event naming the cause, and changes nothing else:
 * the socket and its other connections keep working and no message already accepted is lost.
 *
 * Each case runs against a PULL that also serves a well-behaved PUSH; the raw peer is a plain TCP client that
 * writes ZMTP bytes by hand.
 */
class HostileInputTest : FunSpec({
    timeout = 60_000

    /** Runs [attack] against a PULL with a good PUSH attached, then checks the drop, the event and the survivors. */
    suspend fun CoroutineScope.survives(
        expected: ProtocolError,
        configure: (Socket) -> Unit = {},
        attack: suspend (RawZmtpPeer) -> Unit,
    ) {
        testContext().use { ctx ->
            val pull = ctx.socket(SocketType.PULL)
            configure(pull)
            val events = recordEvents(pull.monitor())
            pull.bind("tcp://127.0.0.1:*")
            val good = ctx.socket(SocketType.PUSH)
            good.connect(pull.lastEndpoint!!)
            repeat(10) { good.send(Message("before $it")) }
            withTimeout(20.seconds) {
                RawZmtpPeer.connect(pull.lastEndpoint!!).use { raw ->
                    withContext(Dispatchers.IO) { attack(raw) }
                    val dropped: MonitorEvent = events.await(description = "a drop for $expected") { it.protocolError == expected }
                    (dropped.type == MonitorEventType.HANDSHAKE_FAILED_PROTOCOL || dropped.type == MonitorEventType.DISCONNECTED) shouldBe true
                    withContext(Dispatchers.IO) { raw.awaitClosedByPeer(5_000) } shouldBe true
                }
                repeat(10) { good.send(Message("after $it")) }
                repeat(10) { pull.receive().decodeToString() shouldBe "before $it" }
                repeat(10) { pull.receive().decodeToString() shouldBe "after $it" }
            }
            events.close()
        }
    }

    test("a malformed greeting drops the connection with GREETING_MALFORMED") {
        survives(ProtocolError.GREETING_MALFORMED) { it.write(ByteArray(64) { 0x41 }) }
    }

    test("a ZMTP 2.0 greeting drops the connection with GREETING_MALFORMED") {
        survives(ProtocolError.GREETING_MALFORMED) { it.write(Zmtp.greeting(major = 2, minor = 0)) }
    }

    test("an unknown security mechanism drops the connection with ZMTP_MECHANISM_MISMATCH") {
        survives(ProtocolError.ZMTP_MECHANISM_MISMATCH) { it.write(Zmtp.greeting(mechanism = "BOGUS")) }
    }

    test("an incompatible socket type drops the connection with ZMTP_INVALID_METADATA") {
        survives(ProtocolError.ZMTP_INVALID_METADATA) {
            it.write(Zmtp.greeting())
            it.write(Zmtp.readyCommand("PULL"))
        }
    }

    test("a frame over MAXMSGSIZE drops the connection with MESSAGE_TOO_LARGE") {
        survives(ProtocolError.MESSAGE_TOO_LARGE, configure = { it.maxMessageSize = 1024 }) {
            it.nullHandshake("PUSH")
            it.write(Zmtp.frameHeader(Zmtp.FLAG_LONG, 1L shl 40))
        }
    }

    test("a frame cut short by the end of the stream drops the connection with TRUNCATED") {
        survives(ProtocolError.TRUNCATED) {
            it.nullHandshake("PUSH")
            it.write(Zmtp.frameHeader(0, 100))
            it.write(ByteArray(10))
            it.shutdownOutput()
        }
    }

    test("an unknown command drops the connection with UNKNOWN_COMMAND") {
        survives(ProtocolError.UNKNOWN_COMMAND) {
            it.nullHandshake("PUSH")
            it.write(Zmtp.command("BOGUS", byteArrayOf(1, 2, 3)))
        }
    }

    test("a data frame before the handshake drops the connection with ZMTP_UNEXPECTED_COMMAND") {
        survives(ProtocolError.ZMTP_UNEXPECTED_COMMAND) {
            it.write(Zmtp.greeting())
            it.write(Zmtp.frame("too early".encodeToByteArray()))
        }
    }

    test("a handshake that does not finish within HANDSHAKE_IVL drops the connection with HANDSHAKE_TIMEOUT") {
        survives(ProtocolError.HANDSHAKE_TIMEOUT, configure = { it.handshakeInterval = 300 }) {
            it.write(Zmtp.greeting())
        }
    }
})
