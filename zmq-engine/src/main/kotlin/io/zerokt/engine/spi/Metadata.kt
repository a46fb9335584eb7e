package io.zerokt.engine.spi

import io.zerokt.ProtocolError
import java.util.TreeMap

/**
 * Connection metadata as carried by READY (NULL, PLAIN) and INITIATE (PLAIN, CURVE): RFC 23 "metadata".
 *
 * ```
 * one property:
 * +----------+---------------------+------------------------+---------------------+
 * | name len | name (1..255 chars) | value len (4, big-end.)| value (0..2^31-1)   |
 * +----------+---------------------+------------------------+---------------------+
 * ```
 *
 * Names are case-insensitive: maps returned by [parse] compare names ignoring case.
 */
@ZeroKtInternalApi
public object Metadata {
    /** The sender's socket type (RFC 23). */
    public const val SOCKET_TYPE: String = "Socket-Type"

    /** The sender's identity, its routing id (RFC 23). */
    public const val IDENTITY: String = "Identity"

    /** The number of octets [write] produces for [properties]. */
    public fun encodedSize(properties: Map<String, ByteArray>): Int {
        var n = 0L
        for ((name, value) in properties) n += 1 + name.length + 4 + value.size
        require(n <= Int.MAX_VALUE - 8) { "metadata of $n bytes does not fit a frame" }
        return n.toInt()
    }

    /** Writes [properties] in order (names are ASCII, checked by the engine's connection config). */
    public fun write(out: OutputBuffer, properties: Map<String, ByteArray>) {
        for ((name, value) in properties) {
            val nameBytes = name.encodeToByteArray()
            out.writeByte(nameBytes.size)
            out.writeBytes(nameBytes)
            out.writeInt(value.size)
            out.writeBytes(value)
        }
    }

    /**
     * Parses the properties in `src[off until off + len]`. A zero-length name, a value length above INT32_MAX or any
     * field running past the end throws [ZmtpProtocolException] with [malformed] (the caller passes the code of the
     * command being parsed, e.g. ZMTP_MALFORMED_COMMAND_READY).
     */
    public fun parse(src: ByteArray, off: Int, len: Int, malformed: ProtocolError): Map<String, ByteArray> {
        val result = TreeMap<String, ByteArray>(String.CASE_INSENSITIVE_ORDER)
        var p = off
        val end = off + len
        while (p < end) {
            val nameLen = src[p++].toInt() and 0xFF
            if (nameLen == 0) throw ZmtpProtocolException(malformed, "metadata property with an empty name", sendError = true)
            if (end - p < nameLen + 4) throw ZmtpProtocolException(malformed, "metadata property truncated", sendError = true)
            val name = String(src, p, nameLen, Charsets.ISO_8859_1)
            p += nameLen
            val valueLen = ((src[p].toInt() and 0xFF) shl 24) or ((src[p + 1].toInt() and 0xFF) shl 16) or
                ((src[p + 2].toInt() and 0xFF) shl 8) or (src[p + 3].toInt() and 0xFF)
            p += 4
            if (valueLen < 0 || valueLen > end - p) {
                throw ZmtpProtocolException(malformed, "metadata value of \"$name\" truncated or too long", sendError = true)
            }
            result[name] = src.copyOfRange(p, p + valueLen)
            p += valueLen
        }
        return result
    }
}
