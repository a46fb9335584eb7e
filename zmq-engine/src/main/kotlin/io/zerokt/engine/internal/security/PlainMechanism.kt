package io.zerokt.engine.internal.security

import io.zerokt.ProtocolError
import io.zerokt.engine.spi.Mechanism
import io.zerokt.engine.spi.MechanismFactory
import io.zerokt.engine.spi.MechanismSession
import io.zerokt.engine.spi.MechanismStatus
import io.zerokt.engine.spi.Metadata
import io.zerokt.engine.spi.OutputBuffer
import io.zerokt.engine.spi.ReceivedCommand
import io.zerokt.engine.spi.ZapReply
import io.zerokt.engine.spi.ZapRequest
import io.zerokt.engine.spi.ZmtpProtocolException
import io.zerokt.engine.spi.ZmtpWire

/** The PLAIN mechanism (RFC 24) for one socket: the server checks credentials through ZAP, the client sends them. */
internal class PlainMechanismFactory(
    override val asServer: Boolean,
    private val username: ByteArray,
    private val password: ByteArray,
) : MechanismFactory {
    override val name: String get() = "PLAIN"

    override fun create(session: MechanismSession): Mechanism =
        if (asServer) PlainServer(session) else PlainClient(session, username, password)

    override fun toString(): String = "PlainMechanismFactory(asServer=$asServer)"
}

/** PLAIN's command names and encodings (RFC 24). */
internal object Plain {
    val HELLO = "HELLO".encodeToByteArray()
    val WELCOME = "WELCOME".encodeToByteArray()
    val INITIATE = "INITIATE".encodeToByteArray()
    val READY = "READY".encodeToByteArray()

    /** `hello = command-size %d5 "HELLO" username password`, each a length octet and 0..255 octets. */
    fun writeHello(out: OutputBuffer, username: ByteArray, password: ByteArray) {
        ZmtpWire.writeCommandStart(out, HELLO, 2 + username.size + password.size)
        out.writeByte(username.size)
        out.writeBytes(username)
        out.writeByte(password.size)
        out.writeBytes(password)
    }

    /** Writes a command named [name] whose data is [properties] (INITIATE, READY). */
    fun writeWithMetadata(out: OutputBuffer, name: ByteArray, properties: Map<String, ByteArray>) {
        ZmtpWire.writeCommandStart(out, name, Metadata.encodedSize(properties))
        Metadata.write(out, properties)
    }

    fun unexpected(command: ReceivedCommand, state: String): MechanismStatus.Failed =
        MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} command $state")
}

/**
 * PLAIN client: `C:HELLO S:WELCOME C:INITIATE S:READY`. After HELLO it accepts only WELCOME, then only READY.
 */
internal class PlainClient(
    private val session: MechanismSession,
    private val username: ByteArray,
    private val password: ByteArray,
) : Mechanism {
    private var welcomed = false

    override fun start(out: OutputBuffer): MechanismStatus {
        Plain.writeHello(out, username, password)
        return MechanismStatus.InProgress
    }

    override fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus {
        if (!welcomed) {
            if (!command.isNamed(Plain.WELCOME)) return Plain.unexpected(command, "while waiting for WELCOME")
            if (command.dataSize != 0) {
                return MechanismStatus.Failed(ProtocolError.ZMTP_MALFORMED_COMMAND_WELCOME, "WELCOME with ${command.dataSize} data octets")
            }
            welcomed = true
            Plain.writeWithMetadata(out, Plain.INITIATE, session.ourMetadata())
            return MechanismStatus.InProgress
        }
        if (!command.isNamed(Plain.READY)) return Plain.unexpected(command, "while waiting for READY")
        return MechanismStatus.Done(Metadata.parse(command.body, command.dataOffset, command.dataSize, ProtocolError.ZMTP_MALFORMED_COMMAND_READY))
    }

    override fun toString(): String = "PlainClient(welcomed=$welcomed)"
}

/**
 * PLAIN server: waits for HELLO, asks ZAP (libzmq 4.3: with no ZAP handler bound the handshake fails with no detail),
 * sends WELCOME on status 200 or ERROR with the status code otherwise, then answers INITIATE with READY.
 */
internal class PlainServer(private val session: MechanismSession) : Mechanism {
    private enum class State { HELLO, ZAP, INITIATE }

    private var state = State.HELLO
    private var reply: ZapReply? = null

    override fun start(out: OutputBuffer): MechanismStatus = MechanismStatus.InProgress

    override fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus = when (state) {
        State.HELLO -> onHello(command)
        State.INITIATE -> onInitiate(command, out)
        State.ZAP -> Plain.unexpected(command, "while the ZAP handler decides")
    }

    private fun onHello(command: ReceivedCommand): MechanismStatus {
        if (!command.isNamed(Plain.HELLO)) return Plain.unexpected(command, "while waiting for HELLO")
        val body = command.body
        var p = command.dataOffset
        val end = body.size
        val username = readShortField(body, p, end, "username")
        p += 1 + username.size
        val password = readShortField(body, p, end, "password")
        p += 1 + password.size
        if (p != end) throw malformedHello("${end - p} octets after the password")
        state = State.ZAP
        return MechanismStatus.AwaitingVerdict(ZapRequest("PLAIN", listOf(username, password)))
    }

    override fun onVerdict(verdict: ZapReply?, out: OutputBuffer): MechanismStatus {
        check(state == State.ZAP) { "no ZAP verdict expected in state $state" }
        if (verdict == null) {
            return MechanismStatus.Failed(
                ProtocolError.ZAP_UNSPECIFIED, "PLAIN needs a ZAP handler and none is bound", sendError = false, noDetail = true,
            )
        }
        if (!verdict.isAccepted) {
            ZmtpWire.writeError(out, verdict.statusCode)
            return MechanismStatus.Failed(
                ProtocolError.ZAP_UNSPECIFIED,
                "ZAP refused the PLAIN credentials: ${verdict.statusCode} ${verdict.statusText}".trimEnd(),
                sendError = false,
                authStatusCode = verdict.statusNumber,
            )
        }
        reply = verdict
        state = State.INITIATE
        ZmtpWire.writeCommand(out, Plain.WELCOME, ByteArray(0))
        return MechanismStatus.InProgress
    }

    private fun onInitiate(command: ReceivedCommand, out: OutputBuffer): MechanismStatus {
        if (!command.isNamed(Plain.INITIATE)) return Plain.unexpected(command, "while waiting for INITIATE")
        val peer = Metadata.parse(command.body, command.dataOffset, command.dataSize, ProtocolError.ZMTP_MALFORMED_COMMAND_INITIATE)
        Plain.writeWithMetadata(out, Plain.READY, session.ourMetadata())
        val r = checkNotNull(reply)
        return MechanismStatus.Done(peer, r.userId, r.metadata)
    }

    private fun readShortField(body: ByteArray, p: Int, end: Int, what: String): ByteArray {
        if (p >= end) throw malformedHello("no $what")
        val n = body[p].toInt() and 0xFF
        if (end - p - 1 < n) throw malformedHello("$what truncated")
        return body.copyOfRange(p + 1, p + 1 + n)
    }

    private fun malformedHello(why: String) =
        ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "malformed PLAIN HELLO: $why", sendError = true)

    override fun toString(): String = "PlainServer($state)"
}
