package io.zerokt.engine.spi

import io.zerokt.ProtocolError

/**
 * One received command frame, as handed to a [Mechanism] and to the connection's command handling.
 *
 * [body] is the whole frame body: octet 0 is the name length, then the name, then the data at [dataOffset].
 * The body is owned by the codec; copy what you keep.
 */
@ZeroKtInternalApi
public class ReceivedCommand(public val body: ByteArray) {
    init {
        val nameLen = if (body.isEmpty()) 0 else body[0].toInt() and 0xFF
        if (nameLen == 0 || nameLen > body.size - 1) {
            throw ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "command frame without a valid name")
        }
    }

    /** The length of the command name. */
    public val nameSize: Int get() = body[0].toInt() and 0xFF

    /** Where the command data starts in [body]. */
    public val dataOffset: Int get() = 1 + nameSize

    /** The number of data octets. */
    public val dataSize: Int get() = body.size - dataOffset

    /** True when the name is exactly [name] (ASCII, case-sensitive as in libzmq). Allocates nothing. */
    public fun isNamed(name: ByteArray): Boolean {
        if (nameSize != name.size) return false
        for (i in name.indices) if (body[1 + i] != name[i]) return false
        return true
    }

    /** The name as text (non-printable octets shown as '?'); allocates, so for handshakes and diagnostics. */
    public val name: String
        get() = buildString(nameSize) {
            for (i in 1..nameSize) {
                val c = body[i].toInt() and 0xFF
                append(if (c in 0x20..0x7e) c.toChar() else '?')
            }
        }

    /** A copy of the data octets. */
    public fun dataCopy(): ByteArray = body.copyOfRange(dataOffset, body.size)

    override fun toString(): String = "ReceivedCommand($name, $dataSize data octets)"
}
