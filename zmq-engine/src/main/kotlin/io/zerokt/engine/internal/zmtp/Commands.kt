package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
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
