package io.zerokt.engine.internal.security

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
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue

/**
 * Jazzer targets for PLAIN (TESTING.md, kind 6): hostile commands against a server (HELLO, INITIATE, anything) with
 * a ZAP verdict the input chooses, and against a client that has sent its HELLO (WELCOME, READY, anything).
 * Whatever arrives, the mechanism answers with a status or a [ZmtpProtocolException] (never another exception),
 * completes only as RFC 24 allows (a server only after ZAP said 200), and never puts the password into a reason
 * (unless the peer itself sent it a second time, e.g. as a command name).
 *
 * Input: one octet choosing the ZAP verdict (accept, refuse, no handler), then commands, each a 2-octet big-endian
 * length and that many octets of command body. The seeds in `PlainFuzzTestInputs/<method>/` replay in every
 * verify. To fuzz: `JAZZER_FUZZ=1 mvn -B -pl zmq-engine -am test -Dtest=PlainFuzzTest -Dsurefire.failIfNoSpecifiedTests=false`.
 */
class PlainFuzzTest {
    @FuzzTest(maxDuration = "30s")
    fun server(data: FuzzedDataProvider) {
        val input = data.consumeRemainingAsBytes()
        if (input.isEmpty()) return
        val verdict = when (input[0].toInt() and 3) {
            0 -> ZapReply("200", "OK", "user".encodeToByteArray(), emptyMap())
            1 -> ZapReply("400", "No access", ByteArray(0), emptyMap())
            else -> null
        }
        val server = PlainServer(MechanismSession(SocketType.PULL, null, true, false, 1))
        var accepted = false
        var secret: String? = null
        val commands = commands(input)
        // The password is the peer's own: when it sends it again elsewhere (say, in a command name that a reason
        // quotes), seeing it in a reason shows nothing.
        val done = feed(server, commands, { secret?.takeUnless { s -> commands.count { it.contains(s) } > 1 } }) { command ->
            secret = passwordIn(command)
            accepted = verdict?.isAccepted == true
            server.onVerdict(verdict, OutputBuffer(0))
        }
        if (done) assertTrue(accepted, "PLAIN server completed without ZAP accepting the credentials")
    }

    @FuzzTest(maxDuration = "30s")
    fun client(data: FuzzedDataProvider) {
        val input = data.consumeRemainingAsBytes()
        if (input.isEmpty()) return
        val client = PlainClient(MechanismSession(SocketType.PUSH, null, false, true, 1), "admin".encodeToByteArray(), PASSWORD)
        client.start(OutputBuffer(0))
        val commands = commands(input)
        val secret = PASSWORD.decodeToString().takeUnless { s -> commands.any { it.contains(s) } }
        feed(client, commands, { secret }) { throw AssertionError("a PLAIN client asked ZAP") }
    }

    /** Feeds [commands] until the mechanism completes or fails; true when it completed. */
    private fun feed(
        mechanism: Mechanism,
        commands: List<ByteArray>,
        secret: () -> String?,
        onAsk: (ReceivedCommand) -> MechanismStatus,
    ): Boolean {
        for (body in commands) {
            val status = try {
                val command = ReceivedCommand(body)
                mechanism.onCommand(command, OutputBuffer(0)).let { if (it is MechanismStatus.AwaitingVerdict) onAsk(command) else it }
            } catch (e: ZmtpProtocolException) {
                secret()?.let { assertFalse(e.message.orEmpty().contains(it), "the password appears in an exception") }
                return false
            }
            when (status) {
                is MechanismStatus.Done -> return true
                is MechanismStatus.Failed -> {
                    secret()?.let { assertFalse(status.reason.contains(it), "the password appears in a failure reason") }
                    return false
                }
                else -> {}
            }
        }
        return false
    }

    private companion object {
        val PASSWORD = "s3cret-Passw0rd".encodeToByteArray()

        /** The commands after the verdict octet (six at most); a short tail is dropped. */
        fun commands(input: ByteArray): List<ByteArray> {
            val out = ArrayList<ByteArray>()
            var p = 1
            while (p + 2 <= input.size && out.size < 6) {
                val n = ((input[p].toInt() and 0xFF) shl 8) or (input[p + 1].toInt() and 0xFF)
                p += 2
                if (p + n > input.size) break
                out += input.copyOfRange(p, p + n)
                p += n
            }
            return out
        }

        fun ByteArray.contains(text: String): Boolean = decodeToString().contains(text)

        /** A well-formed HELLO's password, when printable and long enough to search for without false alarms. */
        fun passwordIn(command: ReceivedCommand): String? {
            if (!command.isNamed(Plain.HELLO)) return null
            val b = command.body
            val u = command.dataOffset
            if (u >= b.size) return null
            val p = u + 1 + (b[u].toInt() and 0xFF)
            if (p >= b.size) return null
            val n = b[p].toInt() and 0xFF
            if (n < 8 || p + 1 + n > b.size) return null
            return b.copyOfRange(p + 1, p + 1 + n).decodeToString().takeIf { s -> s.all { it in ' '..'~' } }
        }
    }
}
