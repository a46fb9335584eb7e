package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.ProtocolError

/**
 * Receives the frames a [FrameDecoder] cuts out of the byte stream.
 *
 * Either method may throw [ZmtpProtocolException] to reject the frame; the decoder is then unusable.
 */
internal interface FrameSink {
    /**
     * A frame header arrived: decide before any body byte is buffered. [size] is the declared body size, already
     * known to be in `0..Int.MAX_VALUE - 8`. Throw to reject it (unexpected kind, too large).
     */
    fun onFrameHeader(flags: Int, size: Int)

    /** A whole frame arrived. [body] is exactly the frame's body, owned by the sink (fresh, or a shared empty array). */
    fun onFrame(flags: Int, body: ByteArray)
}

/**
 * Cuts ZMTP frames (layout in [ZmtpFrames]) out of a byte stream that arrives in arbitrary pieces.
 *
 * [decode] always consumes every byte it is given. Partial headers are kept in fields; a body is allocated once its
 * header is accepted ([FrameSink.onFrameHeader]), with exactly the declared size, and filled straight from the
 * input: each body byte is copied once, whatever the split. Nothing else is allocated per frame.
 *
 * A long size with the top bit set or above the largest array fails with MESSAGE_TOO_LARGE before allocating.
 */
internal class FrameDecoder(private val sink: FrameSink) {
    private var state = STATE_FLAGS
    private var flags = 0
    private var sizeBytesLeft = 0
    private var longSize = 0L
    private var body: ByteArray = EMPTY
    private var filled = 0

    /** True between frames (no partial header or body buffered). */
    val isAtFrameBoundary: Boolean get() = state == STATE_FLAGS

    /** Decodes `src[off until off + len]`, reporting each complete frame to the sink in order. */
    fun decode(src: ByteArray, off: Int, len: Int) {
        var p = off
        val end = off + len
        while (p < end) {
            if (state == STATE_FLAGS && end - p >= 2) {
                // Fast path: a short frame whose header and body are both in this chunk.
                val f = src[p].toInt() and 0xFF
                val size = src[p + 1].toInt() and 0xFF
                if (f and ZmtpFrames.FLAG_LONG == 0 && end - p - 2 >= size) {
                    flags = f
                    sink.onFrameHeader(f, size)
                    val b = if (size == 0) EMPTY else ByteArray(size).also { System.arraycopy(src, p + 2, it, 0, size) }
                    p += 2 + size
                    sink.onFrame(f, b)
                    continue
                }
            }
            when (state) {
                STATE_FLAGS -> {
                    val f = src[p++].toInt() and 0xFF
                    flags = f
                    if (f and ZmtpFrames.FLAG_LONG == 0) {
                        state = STATE_SHORT_SIZE
                    } else if (end - p >= 8) {
                        // Fast path: the whole long size is in this chunk.
                        var s = 0L
                        for (i in 0 until 8) s = (s shl 8) or (src[p + i].toLong() and 0xFF)
                        p += 8
                        beginBody(s)
                    } else {
                        state = STATE_LONG_SIZE
                        sizeBytesLeft = 8
                        longSize = 0L
                    }
                }
                STATE_SHORT_SIZE -> beginBody((src[p++].toInt() and 0xFF).toLong())
                STATE_LONG_SIZE -> {
                    longSize = (longSize shl 8) or (src[p++].toLong() and 0xFF)
                    if (--sizeBytesLeft == 0) beginBody(longSize)
                }
                else -> {
                    val n = minOf(end - p, body.size - filled)
                    System.arraycopy(src, p, body, filled, n)
                    p += n
                    filled += n
                    if (filled == body.size) finishFrame()
                }
            }
        }
    }

    private fun beginBody(size: Long) {
        if (size < 0 || size > ZmtpFrames.MAX_FRAME_SIZE) {
            throw ZmtpProtocolException(ProtocolError.MESSAGE_TOO_LARGE, "frame declares $size octets (unsigned ${java.lang.Long.toUnsignedString(size)})")
        }
        sink.onFrameHeader(flags, size.toInt())
        if (size == 0L) {
            body = EMPTY
            finishFrame()
        } else {
            body = ByteArray(size.toInt())
            filled = 0
            state = STATE_BODY
        }
    }

    private fun finishFrame() {
        val b = body
        body = EMPTY
        filled = 0
        state = STATE_FLAGS
        sink.onFrame(flags, b)
    }

    private companion object {
        const val STATE_FLAGS = 0
        const val STATE_SHORT_SIZE = 1
        const val STATE_LONG_SIZE = 2
        const val STATE_BODY = 3
        val EMPTY = ByteArray(0)
    }
}
