package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.Frame
import io.zerokt.Message

/**
 * ZMTP 3.x framing constants and the frame encoder (RFC 23 / RFC 37, section "Framing").
 *
 * Every frame after the greeting is a flags octet, a size (1 octet, or 8 octets big-endian when LONG is set)
 * and a body of exactly `size` octets. The size counts the body only:
 *
 * ```
 * short frame (body 0..255 octets)        long frame (body 256 .. 2^63-1 octets)
 * +-------+------+--------------+         +-------+---------------------+--------------+
 * | flags | size | body ...     |         | flags | size (8, big-endian)| body ...     |
 * +-------+------+--------------+         +-------+---------------------+--------------+
 *     0       1    2 .. 1+size                0          1 .. 8           9 .. 8+size
 *
 * flags:   7   6   5   4   3   2       1      0
 *        +---+---+---+---+---+-------+------+------+
 *        | reserved (0)      |COMMAND| LONG | MORE |
 *        +---+---+---+---+---+-------+------+------+
 * ```
 *
 * A command is one frame with COMMAND set and MORE clear; its body starts with the command name:
 *
 * ```
 * +----------+----------------------+----------------------+
 * | name len | name (1..255 ALPHA)  | command data ...     |
 * +----------+----------------------+----------------------+
 * ```
 *
 * A message is one or more frames with COMMAND clear; every frame but the last has MORE set. Reserved bits are
 * ignored on input (as libzmq does) and written as zero.
 *
 * The encoder always picks the short form for bodies of 0..255 octets and the long form above, as the RFC says
 * a sender SHOULD; the decoder ([FrameDecoder]) accepts either form for any size.
 */
internal object ZmtpFrames {
    /** Bit 0: more frames of this message follow. */
    const val FLAG_MORE: Int = 0x01

    /** Bit 1: the size field is 8 octets. */
    const val FLAG_LONG: Int = 0x02

    /** Bit 2: this frame is a command. */
    const val FLAG_COMMAND: Int = 0x04

    /** The largest body that fits a short size field. */
    const val MAX_SHORT_SIZE: Int = 255

    /** The largest frame body this implementation can hold in one array. */
    const val MAX_FRAME_SIZE: Int = Int.MAX_VALUE - 8

    /** Writes a frame header (flags + size) for a body of [size] octets; LONG is chosen from [size]. */
    fun writeHeader(out: OutputBuffer, flags: Int, size: Int) {
        if (size <= MAX_SHORT_SIZE) {
            out.ensureWritable(2)
            out.writeByte(flags and FLAG_LONG.inv())
            out.writeByte(size)
        } else {
            out.ensureWritable(9)
            out.writeByte(flags or FLAG_LONG)
            out.writeLong(size.toLong())
        }
    }

    /** Writes one message frame: header then [frame]'s bytes, with MORE set when [more]. */
    fun writeMessageFrame(out: OutputBuffer, frame: Frame, more: Boolean) {
        out.ensureWritable(9 + frame.size)
        writeHeader(out, if (more) FLAG_MORE else 0, frame.size)
        out.writeFrame(frame)
    }

    /** [writeMessageFrame] for [message]'s frame at [index], without making a [Frame] of it. */
    fun writeMessageFrame(out: OutputBuffer, message: Message, index: Int, more: Boolean) {
        val n = message.frameSize(index)
        out.ensureWritable(9 + n)
        writeHeader(out, if (more) FLAG_MORE else 0, n)
        out.writeFrame(message, index)
    }

    /**
     * Writes a command named [name] (ASCII bytes, 1..255 of them) whose data is `data[off until off + len]`.
     */
    fun writeCommand(out: OutputBuffer, name: ByteArray, data: ByteArray, off: Int, len: Int) {
        val bodySize = 1 + name.size + len
        out.ensureWritable(9 + bodySize)
        writeHeader(out, FLAG_COMMAND, bodySize)
        out.writeByte(name.size)
        out.writeBytes(name, 0, name.size)
        out.writeBytes(data, off, len)
    }

    /** Writes the header and name of a command whose [dataSize] data octets the caller writes next. */
    fun writeCommandStart(out: OutputBuffer, name: ByteArray, dataSize: Int) {
        val bodySize = 1 + name.size + dataSize
        out.ensureWritable(9 + 1 + name.size)
        writeHeader(out, FLAG_COMMAND, bodySize)
        out.writeByte(name.size)
        out.writeBytes(name, 0, name.size)
    }
}
