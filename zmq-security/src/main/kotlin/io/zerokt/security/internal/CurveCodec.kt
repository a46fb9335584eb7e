package io.zerokt.security.internal

import io.zerokt.Frame
import io.zerokt.ProtocolError
import io.zerokt.engine.spi.DecodedFrame
import io.zerokt.engine.spi.OutputBuffer
import io.zerokt.engine.spi.TrafficCodec
import io.zerokt.engine.spi.ZmtpProtocolException
import io.zerokt.engine.spi.ZmtpWire

/**
 * CURVE traffic (RFC 26 MESSAGE): every frame, data or command, becomes one MESSAGE command boxed with the
 * connection's short-term key ([key] = beforenm of C' and S'), nonce = direction prefix + an 8-byte counter.
 *
 * Sending: the counter goes on from the handshake ([nextNonce]). Receiving: each nonce must be larger than the last
 * one ([lastPeerNonce]), so a replayed, reordered or dropped-and-resent MESSAGE kills the connection with
 * ZMTP_INVALID_SEQUENCE; a box that does not open is ZMTP_CRYPTOGRAPHIC.
 *
 * The wire frame carries no ZMTP flags (MORE and COMMAND travel inside the box), as libzmq and JeroMQ send it.
 * Encoding encrypts in place in the output buffer and decoding in the received body: no allocation but the
 * payload array handed to the connection.
 */
internal class CurveCodec(
    private val key: ByteArray,
    private val sendPrefix: ByteArray,
    private val receivePrefix: ByteArray,
    private var nextNonce: Long,
    private var lastPeerNonce: Long,
) : TrafficCodec {
    private val encryptBox = SecretBox()
    private val decryptBox = SecretBox()
    private val nonce = ByteArray(NaCl.NONCE_BYTES)

    override fun maxWireFrameSize(maxMessageSize: Long): Long =
        if (maxMessageSize < 0) Int.MAX_VALUE - 8L else minOf(Int.MAX_VALUE - 8L, maxMessageSize + CurveWire.MESSAGE_OVERHEAD + 255)

    override fun encodeMessageFrame(frame: Frame, more: Boolean, out: OutputBuffer) {
        val clearFlags = if (more) 0x01 else 0
        val start = beginMessage(out, frame.size)
        val a = out.array
        a[start] = clearFlags.toByte()
        frame.copyInto(a, start + 1)
        finishMessage(out, start, frame.size + 1)
    }

    override fun encodeCommand(body: ByteArray, off: Int, len: Int, out: OutputBuffer) {
        val start = beginMessage(out, len)
        val a = out.array
        a[start] = 0x02
        System.arraycopy(body, off, a, start + 1, len)
        finishMessage(out, start, len + 1)
    }

    /** Writes header, name and nonce; returns where the clear flags byte goes (after 16 bytes left for the tag). */
    private fun beginMessage(out: OutputBuffer, payload: Int): Int {
        val bodySize = CurveWire.MESSAGE_OVERHEAD + payload
        out.ensureWritable(9 + bodySize)
        ZmtpWire.writeHeader(out, 0, bodySize)
        out.writeBytes(CurveWire.MESSAGE_BODY_START)
        val n = nextNonce++
        out.writeLong(n)
        System.arraycopy(sendPrefix, 0, nonce, 0, 16)
        for (i in 0 until 8) nonce[16 + i] = (n ushr (56 - 8 * i)).toByte()
        return out.size + NaCl.TAG_BYTES
    }

    /** Encrypts `clearLen` bytes at [clearStart] in place and writes the tag before them. */
    private fun finishMessage(out: OutputBuffer, clearStart: Int, clearLen: Int) {
        val a = out.array
        encryptBox.seal(key, nonce, a, clearStart, clearLen, a, clearStart - NaCl.TAG_BYTES)
        out.setSize(clearStart + clearLen)
    }

    override fun decodeFrame(wireFlags: Int, wireBody: ByteArray): DecodedFrame {
        if (wireBody.size < CurveWire.MESSAGE_OVERHEAD || !startsWith(wireBody, CurveWire.MESSAGE_BODY_START)) {
            throw ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "CURVE traffic frame is not a MESSAGE of at least 33 octets")
        }
        val n = CurveWire.readLong(wireBody, 8)
        // Unsigned compare: nonces are 64-bit counters.
        if (java.lang.Long.compareUnsigned(n, lastPeerNonce) <= 0) {
            throw ZmtpProtocolException(ProtocolError.ZMTP_INVALID_SEQUENCE, "MESSAGE nonce $n is not above the previous $lastPeerNonce (replayed or reordered)")
        }
        System.arraycopy(receivePrefix, 0, nonce, 0, 16)
        System.arraycopy(wireBody, 8, nonce, 16, 8)
        val boxStart = 16
        val cipherStart = boxStart + NaCl.TAG_BYTES
        val cipherLen = wireBody.size - cipherStart
        // Decrypt in place (the wire body is ours), then copy the payload out behind the flags octet.
        if (!decryptBox.open(key, nonce, wireBody, boxStart, cipherStart, cipherLen, wireBody, cipherStart)) {
            throw ZmtpProtocolException(ProtocolError.ZMTP_CRYPTOGRAPHIC, "MESSAGE box does not open (tampered or wrong key)")
        }
        lastPeerNonce = n
        val body = wireBody.copyOfRange(cipherStart + 1, wireBody.size)
        val clearFlags = wireBody[cipherStart].toInt()
        var flags = 0
        if (clearFlags and 0x01 != 0) flags = flags or ZmtpWire.FLAG_MORE
        if (clearFlags and 0x02 != 0) flags = flags or ZmtpWire.FLAG_COMMAND
        return DecodedFrame(flags, body)
    }

    private fun startsWith(b: ByteArray, prefix: ByteArray): Boolean {
        for (i in prefix.indices) if (b[i] != prefix[i]) return false
        return true
    }

    override fun toString(): String = "CurveCodec(next=$nextNonce, peer=$lastPeerNonce)"
}
