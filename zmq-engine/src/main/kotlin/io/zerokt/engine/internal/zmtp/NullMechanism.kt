package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.ProtocolError

/** The NULL security mechanism (RFC 23/37, "The NULL Security Mechanism"): no authentication, no encryption. */
internal object NullMechanismFactory : MechanismFactory {
    override val name: String = "NULL"

    override val hasServerRole: Boolean get() = false

    override fun create(session: MechanismSession): Mechanism = NullMechanism(session)
}

/**
 * NULL's handshake: each side sends READY with its metadata right after the greetings (RFC 23: "each peer MUST send
 * its READY command before attempting to receive a READY", which libzmq does on both sides), then waits for the
 * peer's READY. The as-server octet is ignored.
 *
 * ```
 * P:greeting   R:greeting
 * P:READY      R:READY
 * ```
 *
 * Any other command than READY (ERROR is handled by the connection) fails with ZMTP_UNEXPECTED_COMMAND; a READY
 * whose metadata does not parse fails with ZMTP_MALFORMED_COMMAND_READY.
 */
internal class NullMechanism(private val session: MechanismSession) : Mechanism {
    override fun start(out: OutputBuffer): MechanismStatus {
        Commands.writeReady(out, session.ourMetadata())
        return MechanismStatus.InProgress
    }

    override fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus {
        if (!command.isNamed(Commands.READY)) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} command in the NULL handshake")
        }
        val properties = Metadata.parse(command.body, command.dataOffset, command.dataSize, ProtocolError.ZMTP_MALFORMED_COMMAND_READY)
        return MechanismStatus.Done(properties)
    }
}

/**
 * NULL with ZAP (libzmq 4.3: when ZAP_DOMAIN is set): before sending READY the socket asks the ZAP handler about the
 * peer (mechanism "NULL", no credentials), so that an authenticator can filter addresses. No handler bound: the
 * handshake goes on, unless [enforce] (ZAP_ENFORCE_DOMAIN) is set. A refusal sends ERROR with the status code.
 */
internal class NullZapMechanismFactory(private val enforce: Boolean) : MechanismFactory {
    override val name: String = "NULL"

    override val hasServerRole: Boolean get() = false

    override fun create(session: MechanismSession): Mechanism = NullZapMechanism(session, enforce)
}

/** The NULL handshake held until the ZAP verdict; the peer's READY may arrive before it and is kept. */
internal class NullZapMechanism(private val session: MechanismSession, private val enforce: Boolean) : Mechanism {
    private var peer: Map<String, ByteArray>? = null
    private var reply: ZapReply? = null
    private var decided = false

    override fun start(out: OutputBuffer): MechanismStatus = MechanismStatus.AwaitingVerdict(ZapRequest("NULL", emptyList()))

    override fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus {
        if (!command.isNamed(Commands.READY) || peer != null) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} command in the NULL handshake")
        }
        peer = Metadata.parse(command.body, command.dataOffset, command.dataSize, ProtocolError.ZMTP_MALFORMED_COMMAND_READY)
        return if (decided) done() else MechanismStatus.InProgress
    }

    override fun onVerdict(verdict: ZapReply?, out: OutputBuffer): MechanismStatus {
        if (verdict == null && enforce) {
            return MechanismStatus.Failed(ProtocolError.ZAP_UNSPECIFIED, "ZAP_ENFORCE_DOMAIN is set and no ZAP handler is bound", sendError = false, noDetail = true)
        }
        if (verdict != null && !verdict.isAccepted) {
            ZmtpWire.writeError(out, verdict.statusCode)
            return MechanismStatus.Failed(
                ProtocolError.ZAP_UNSPECIFIED, "ZAP refused the peer: ${verdict.statusCode} ${verdict.statusText}".trimEnd(),
                sendError = false, authStatusCode = verdict.statusNumber,
            )
        }
        reply = verdict
        decided = true
        Commands.writeReady(out, session.ourMetadata())
        return if (peer != null) done() else MechanismStatus.InProgress
    }

    private fun done() = MechanismStatus.Done(checkNotNull(peer), reply?.userId, reply?.metadata ?: emptyMap())
}
