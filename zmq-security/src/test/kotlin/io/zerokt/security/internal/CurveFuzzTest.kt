package io.zerokt.security.internal

import com.code_intelligence.jazzer.api.FuzzedDataProvider
import com.code_intelligence.jazzer.junit.FuzzTest
import io.zerokt.SocketType
import io.zerokt.engine.spi.Mechanism
import io.zerokt.engine.spi.MechanismSession
import io.zerokt.engine.spi.MechanismStatus
import io.zerokt.engine.spi.OutputBuffer
import io.zerokt.engine.spi.ReceivedCommand
import io.zerokt.engine.spi.ZapReply
import io.zerokt.engine.spi.ZmtpProtocolException
import io.zerokt.engine.spi.ZmtpWire
import io.zerokt.security.CurveKeyPair
import org.junit.jupiter.api.Assertions.assertTrue

/**
 * Jazzer targets for CURVE (TESTING.md, kind 6): hostile HELLO/INITIATE commands against a server, hostile
 * WELCOME/READY against a client, and hostile MESSAGE frames after a real handshake. Whatever arrives, the mechanism
 * answers with a status or a [ZmtpProtocolException] (never another exception), stops at its first failure, and
 * never lets a forged MESSAGE through. `mvn verify` replays the regression inputs; to fuzz:
 * `JAZZER_FUZZ=1 mvn -B -pl zmq-security -am test -Dtest=CurveFuzzTest -Dsurefire.failIfNoSpecifiedTests=false`.
 */
class CurveFuzzTest {
    /** Up to four fuzzed commands into a fresh server (the first is usually HELLO, the next INITIATE). */
    @FuzzTest(maxDuration = "30s")
    fun server(data: FuzzedDataProvider) {
        val server = CurveServer(session(SocketType.PULL, true), SERVER.publicKey, SERVER.secretKey, enforceZap = false)
        feed(server, data) { server.onVerdict(ZapReply("200", "OK", ByteArray(0), emptyMap()), OutputBuffer(0)) }
    }

    /** Up to four fuzzed commands into a client that has sent its HELLO (WELCOME, then READY or ERROR). */
    @FuzzTest(maxDuration = "30s")
    fun client(data: FuzzedDataProvider) {
        val client = CurveClient(session(SocketType.PUSH, false), CLIENT.publicKey, CLIENT.secretKey, SERVER.publicKey)
        client.start(OutputBuffer(0))
        feed(client, data) { MechanismStatus.InProgress }
    }

    /** Fuzzed wire frames into the server's traffic codec after a real handshake: none may decode. */
    @FuzzTest(maxDuration = "30s")
    fun traffic(data: FuzzedDataProvider) {
        val codec = handshakenServerCodec()
        repeat(data.consumeInt(1, 4)) {
            val flags = data.consumeInt(0, 7)
            val body = data.consumeBytes(data.consumeInt(0, 300))
            try {
                codec.decodeFrame(flags, body)
                throw AssertionError("a frame the client never sent was accepted as CURVE traffic")
            } catch (_: ZmtpProtocolException) {
                return // the connection dies here: nothing after it is read
            }
        }
    }

    private fun feed(mechanism: Mechanism, data: FuzzedDataProvider, onAsk: () -> MechanismStatus) {
        repeat(data.consumeInt(1, 4)) {
            val body = data.consumeBytes(data.consumeInt(0, 400))
            val status = try {
                mechanism.onCommand(ReceivedCommand(body), OutputBuffer(0)).let { if (it is MechanismStatus.AwaitingVerdict) onAsk() else it }
            } catch (_: ZmtpProtocolException) {
                return
            }
            assertTrue(status !is MechanismStatus.Done, "a handshake completed from forged commands")
            if (status is MechanismStatus.Failed) return
        }
    }

    private companion object {
        val SERVER: CurveKeyPair = CurveKeyPair.generate()
        val CLIENT: CurveKeyPair = CurveKeyPair.generate()

        fun session(type: SocketType, asServer: Boolean) = MechanismSession(type, null, asServer, !asServer, 1)

        /** The body of the one command frame in [out]. */
        fun commandBody(out: OutputBuffer): ByteArray {
            val b = out.toByteArray()
            return if (b[0].toInt() and ZmtpWire.FLAG_LONG != 0) b.copyOfRange(9, b.size) else b.copyOfRange(2, b.size)
        }

        fun handshakenServerCodec(): io.zerokt.engine.spi.TrafficCodec {
            val c = CurveClient(session(SocketType.PUSH, false), CLIENT.publicKey, CLIENT.secretKey, SERVER.publicKey)
            val s = CurveServer(session(SocketType.PULL, true), SERVER.publicKey, SERVER.secretKey, enforceZap = false)
            val hello = OutputBuffer(0).also { c.start(it) }
            val welcome = OutputBuffer(0).also { s.onCommand(ReceivedCommand(commandBody(hello)), it) }
            val initiate = OutputBuffer(0).also { c.onCommand(ReceivedCommand(commandBody(welcome)), it) }
            s.onCommand(ReceivedCommand(commandBody(initiate)), OutputBuffer(0))
            val ready = OutputBuffer(0).also { s.onVerdict(ZapReply("200", "OK", ByteArray(0), emptyMap()), it) }
            c.onCommand(ReceivedCommand(commandBody(ready)), OutputBuffer(0))
            return s.trafficCodec()!!
        }
    }
}
