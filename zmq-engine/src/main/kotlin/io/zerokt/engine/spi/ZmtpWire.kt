package io.zerokt.engine.spi

/**
 * ZMTP framing for mechanisms in other modules (RFC 23 "Framing"): flag bits and header writers.
 *
 * ```
 * flags: bit 0 MORE, bit 1 LONG (8-octet size), bit 2 COMMAND
 * frame: flags, size (1 octet, or 8 big-endian when LONG), body
 * ```
 */
@ZeroKtInternalApi
public object ZmtpWire {
    /** More frames of this message follow. */
    public const val FLAG_MORE: Int = 0x01

    /** The size field is 8 octets. */
    public const val FLAG_LONG: Int = 0x02

    /** This frame is a command. */
    public const val FLAG_COMMAND: Int = 0x04

    /** Writes a frame header for a body of [size] octets; LONG is chosen from [size] (short up to 255). */
    public fun writeHeader(out: OutputBuffer, flags: Int, size: Int) {
        if (size <= 255) {
            out.writeByte(flags and FLAG_LONG.inv())
            out.writeByte(size)
        } else {
            out.writeByte(flags or FLAG_LONG)
            out.writeLong(size.toLong())
        }
    }

    /** Writes the header and name of a command whose [dataSize] data octets the caller writes next. */
    public fun writeCommandStart(out: OutputBuffer, name: ByteArray, dataSize: Int) {
        writeHeader(out, FLAG_COMMAND, 1 + name.size + dataSize)
        out.writeByte(name.size)
        out.writeBytes(name)
    }

    /** Writes a whole command: [name] then `data[off until off + len]`. */
    public fun writeCommand(out: OutputBuffer, name: ByteArray, data: ByteArray, off: Int = 0, len: Int = data.size) {
        writeCommandStart(out, name, len)
        out.writeBytes(data, off, len)
    }

    /** Writes ERROR with [reason] (printable ASCII, cut to 255 octets), as RFC 23 allows during the handshake. */
    public fun writeError(out: OutputBuffer, reason: String) {
        val n = minOf(reason.length, 255)
        val text = ByteArray(n) { i -> reason[i].let { if (it.code in 0x20..0x7e) it.code.toByte() else '?'.code.toByte() } }
        writeCommandStart(out, ERROR, 1 + n)
        out.writeByte(n)
        out.writeBytes(text)
    }

    private val ERROR = "ERROR".encodeToByteArray()
}
