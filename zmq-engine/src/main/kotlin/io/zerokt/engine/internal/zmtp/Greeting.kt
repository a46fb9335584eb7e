package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.ProtocolError

/**
 * The 64-octet ZMTP 3.x greeting (RFC 37, "Formal Grammar" and "Version Negotiation"): encoder and incremental
 * validator.
 *
 * ```
 *  signature                    version       mechanism            as-server  filler
 * +------+-------------+------+-------+-------+--------------------+---------+-------------+
 * | %xFF | padding (8) | %x7F | major | minor | name, NUL-padded   | %x00/01 | 31 x %x00   |
 * +------+-------------+------+-------+-------+--------------------+---------+-------------+
 *    0       1 - 8        9      10      11         12 - 31            32        33 - 63
 * ```
 *
 * We send 3.1 with zero padding and filler. On input the padding and filler are not checked (RFC 37: "MUST NOT
 * validate" the padding; libzmq ignores the filler). Only octet 9's bit 0 is checked, as RFC 37's ZMTP 1.0
 * detection does.
 *
 * [GreetingDecoder] checks each field as soon as its octets arrive, because libzmq sends its greeting in pieces
 * (signature + major first) and waits: a bad signature fails at octet 0 or 9, an old version at octet 10, and a
 * different mechanism at octet 31, without waiting for the rest.
 */
internal object Greeting {
    /** The greeting's length in octets. */
    const val SIZE: Int = 64

    /** Offset of the major version. */
    const val MAJOR_OFFSET: Int = 10

    /** Offset of the minor version. */
    const val MINOR_OFFSET: Int = 11

    /** Offset of the mechanism name. */
    const val MECHANISM_OFFSET: Int = 12

    /** Length of the mechanism field. */
    const val MECHANISM_SIZE: Int = 20

    /** Offset of the as-server octet. */
    const val AS_SERVER_OFFSET: Int = 32

    /** The version we announce. */
    const val OUR_MAJOR: Int = 3

    /** The minor version we announce. */
    const val OUR_MINOR: Int = 1

    /** Writes our 3.1 greeting for [mechanism] (1..20 characters of A-Z, 0-9, `-_.+`) into [out]. */
    fun write(out: OutputBuffer, mechanism: String, asServer: Boolean) {
        out.writeBytes(encode(mechanism, asServer))
    }

    /** Our 3.1 greeting for [mechanism], as a fresh 64-octet array. */
    fun encode(mechanism: String, asServer: Boolean): ByteArray {
        val g = ByteArray(SIZE)
        g[0] = 0xFF.toByte()
        g[9] = 0x7F
        g[MAJOR_OFFSET] = OUR_MAJOR.toByte()
        g[MINOR_OFFSET] = OUR_MINOR.toByte()
        val name = mechanismField(mechanism)
        System.arraycopy(name, 0, g, MECHANISM_OFFSET, MECHANISM_SIZE)
        g[AS_SERVER_OFFSET] = if (asServer) 1 else 0
        return g
    }

    /** [mechanism] as the 20-octet NUL-padded greeting field; rejects names the grammar does not allow. */
    fun mechanismField(mechanism: String): ByteArray {
        require(mechanism.length in 1..MECHANISM_SIZE && mechanism.all { it in 'A'..'Z' || it in '0'..'9' || it in "-_.+" }) {
            "mechanism name \"$mechanism\" must be 1..20 of A-Z 0-9 - _ . +"
        }
        return mechanism.encodeToByteArray().copyOf(MECHANISM_SIZE)
    }
}

/**
 * Accumulates and validates the peer's greeting as its octets arrive (split anywhere).
 *
 * [feed] consumes at most the octets the greeting still needs and returns how many it took; it throws
 * [ZmtpProtocolException] (GREETING_MALFORMED or ZMTP_MECHANISM_MISMATCH) as soon as a checked field is wrong.
 * After [isComplete], [peerMinorVersion] and [peerAsServer] are valid.
 */
internal class GreetingDecoder(ourMechanism: String) {
    private val expectedMechanism = Greeting.mechanismField(ourMechanism)
    private val bytes = ByteArray(Greeting.SIZE)
    private var received = 0

    /** True once all 64 octets arrived and passed the checks. */
    val isComplete: Boolean get() = received == Greeting.SIZE

    /** True when some but not all greeting octets arrived (for end-of-stream handling). */
    val isPartial: Boolean get() = received in 1 until Greeting.SIZE

    /** The peer's minor version, clamped to 0 (ZMTP 3.0) or 1 (3.1 or later). Valid after [isComplete]. */
    val peerMinorVersion: Int
        get() = if (bytes[Greeting.MAJOR_OFFSET].toInt() and 0xFF > Greeting.OUR_MAJOR) 1
        else minOf(bytes[Greeting.MINOR_OFFSET].toInt() and 0xFF, 1)

    /** The peer's as-server octet, as a boolean. Valid after [isComplete]. */
    val peerAsServer: Boolean get() = bytes[Greeting.AS_SERVER_OFFSET].toInt() != 0

    /** Takes greeting octets from `src[off until off + len]`; returns how many were consumed. */
    fun feed(src: ByteArray, off: Int, len: Int): Int {
        val n = minOf(len, Greeting.SIZE - received)
        val from = received
        System.arraycopy(src, off, bytes, received, n)
        received += n
        validate(from, received)
        return n
    }

    /** Checks the fields whose last octet lies in `from until to`. */
    private fun validate(from: Int, to: Int) {
        fun arrived(index: Int) = index in from until to
        if (arrived(0) && bytes[0] != 0xFF.toByte()) {
            throw ZmtpProtocolException(ProtocolError.GREETING_MALFORMED, "not a ZMTP 3.x greeting: first octet is not 0xFF")
        }
        if (arrived(9) && bytes[9].toInt() and 1 == 0) {
            throw ZmtpProtocolException(ProtocolError.GREETING_MALFORMED, "not a ZMTP 3.x greeting: signature octet 9 lacks bit 0")
        }
        if (arrived(Greeting.MAJOR_OFFSET)) {
            val major = bytes[Greeting.MAJOR_OFFSET].toInt() and 0xFF
            if (major < Greeting.OUR_MAJOR) {
                throw ZmtpProtocolException(ProtocolError.GREETING_MALFORMED, "unsupported ZMTP version $major.x (3.x required)")
            }
        }
        if (arrived(Greeting.MECHANISM_OFFSET + Greeting.MECHANISM_SIZE - 1)) {
            for (i in 0 until Greeting.MECHANISM_SIZE) {
                if (bytes[Greeting.MECHANISM_OFFSET + i] != expectedMechanism[i]) {
                    throw ZmtpProtocolException(
                        ProtocolError.ZMTP_MECHANISM_MISMATCH,
                        "peer mechanism \"${mechanismName()}\" is not ours \"${expectedMechanism.decodeToString().trimEnd('\u0000')}\"",
                    )
                }
            }
        }
    }

    private fun mechanismName(): String {
        val sb = StringBuilder()
        for (i in 0 until Greeting.MECHANISM_SIZE) {
            val c = bytes[Greeting.MECHANISM_OFFSET + i].toInt() and 0xFF
            if (c == 0) break
            sb.append(if (c in 0x20..0x7e) c.toChar() else '?')
        }
        return sb.toString()
    }
}
