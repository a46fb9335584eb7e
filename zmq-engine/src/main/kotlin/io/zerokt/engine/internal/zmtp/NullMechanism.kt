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
