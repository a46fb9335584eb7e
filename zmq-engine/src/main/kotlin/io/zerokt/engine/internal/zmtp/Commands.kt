package io.zerokt.engine.internal.zmtp

import io.zerokt.ProtocolError

/**
 * The ZMTP 3.1 commands this codec writes and reads (RFC 23 NULL mechanism, RFC 37 pub-sub and heartbeating).
 *
 * ```
 * READY     = %x05 "READY"     metadata              (see Metadata)
 * ERROR     = %x05 "ERROR"     reason-len reason     (reason 0..255 octets)
 * SUBSCRIBE = %x09 "SUBSCRIBE" topic                 (topic = rest of the body)
 * CANCEL    = %x06 "CANCEL"    topic
 * PING      = %x04 "PING"      ttl (2, big-endian, tenths of a second) context (0..16 octets)
 * PONG      = %x04 "PONG"      context (0..16 octets, echoed from the PING)
 * ```
 */
internal object Commands {
    val READY: ByteArray = "READY".encodeToByteArray()
    val ERROR: ByteArray = "ERROR".encodeToByteArray()
    val SUBSCRIBE: ByteArray = "SUBSCRIBE".encodeToByteArray()
    val CANCEL: ByteArray = "CANCEL".encodeToByteArray()
    val PING: ByteArray = "PING".encodeToByteArray()
    val PONG: ByteArray = "PONG".encodeToByteArray()

    /** The longest PING context RFC 37 allows. */
    const val MAX_PING_CONTEXT: Int = 16

    /** The longest ERROR reason (one length octet). */
    const val MAX_ERROR_REASON: Int = 255

    private val EMPTY = ByteArray(0)

    /** Writes READY carrying [properties]. */
    fun writeReady(out: OutputBuffer, properties: Map<String, ByteArray>) {
        ZmtpFrames.writeCommandStart(out, READY, Metadata.encodedSize(properties))
        Metadata.write(out, properties)
    }

    /** Writes ERROR with [reason] as printable ASCII (others become '?', RFC 23 `VCHAR`), cut to 255 octets. */
    fun writeError(out: OutputBuffer, reason: String) {
        val n = minOf(reason.length, MAX_ERROR_REASON)
        val text = ByteArray(n) { i -> reason[i].let { if (it.code in 0x20..0x7e) it.code.toByte() else '?'.code.toByte() } }
        ZmtpFrames.writeCommandStart(out, ERROR, 1 + text.size)
        out.writeByte(text.size)
        out.writeBytes(text)
    }

    /** Writes SUBSCRIBE (or CANCEL when not [subscribe]) for [topic]. */
    fun writeSubscription(out: OutputBuffer, topic: ByteArray, subscribe: Boolean) {
        ZmtpFrames.writeCommand(out, if (subscribe) SUBSCRIBE else CANCEL, topic, 0, topic.size)
    }

    /** Writes PING with [ttlDeciseconds] (0..65535) and [context] (0..16 octets). */
    fun writePing(out: OutputBuffer, ttlDeciseconds: Int, context: ByteArray = EMPTY) {
        require(ttlDeciseconds in 0..0xFFFF) { "PING ttl $ttlDeciseconds out of 0..65535" }
        require(context.size <= MAX_PING_CONTEXT) { "PING context of ${context.size} octets, at most 16" }
        ZmtpFrames.writeCommandStart(out, PING, 2 + context.size)
        out.writeShort(ttlDeciseconds)
        out.writeBytes(context)
    }

    /** Writes PONG echoing `context[off until off + len]`. */
    fun writePong(out: OutputBuffer, context: ByteArray, off: Int, len: Int) {
        ZmtpFrames.writeCommand(out, PONG, context, off, len)
    }

    /** Parses an ERROR command's data into its reason text (ISO-8859-1, so any octets survive). */
    fun parseErrorReason(command: ReceivedCommand): String {
        val body = command.body
        val p = command.dataOffset
        if (command.dataSize < 1) throw malformedError()
        val n = body[p].toInt() and 0xFF
        if (n != command.dataSize - 1) throw malformedError()
        return String(body, p + 1, n, Charsets.ISO_8859_1)
    }

    private fun malformedError() =
        ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR, "malformed ERROR command")
}

/**
 * One received command frame, as handed to a [Mechanism] and to the connection's command handling.
 *
 * [body] is the whole frame body: octet 0 is the name length, then the name, then the data at [dataOffset].
 * The body is owned by the codec; copy what you keep.
 */
internal class ReceivedCommand(val body: ByteArray) {
    init {
        val nameLen = if (body.isEmpty()) 0 else body[0].toInt() and 0xFF
        if (nameLen == 0 || nameLen > body.size - 1) {
            throw ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "command frame without a valid name")
        }
    }

    /** The length of the command name. */
    val nameSize: Int get() = body[0].toInt() and 0xFF

    /** Where the command data starts in [body]. */
    val dataOffset: Int get() = 1 + nameSize

    /** The number of data octets. */
    val dataSize: Int get() = body.size - dataOffset

    /** True when the name is exactly [name] (ASCII, case-sensitive as in libzmq). Allocates nothing. */
    fun isNamed(name: ByteArray): Boolean {
        if (nameSize != name.size) return false
        for (i in name.indices) if (body[1 + i] != name[i]) return false
        return true
    }

    /** The name as text (non-printable octets shown as '?'); allocates, so for handshakes and diagnostics. */
    val name: String
        get() = buildString(nameSize) {
            for (i in 1..nameSize) {
                val c = body[i].toInt() and 0xFF
                append(if (c in 0x20..0x7e) c.toChar() else '?')
            }
        }

    /** A copy of the data octets. */
    fun dataCopy(): ByteArray = body.copyOfRange(dataOffset, body.size)

    override fun toString(): String = "ReceivedCommand($name, $dataSize data octets)"
}
