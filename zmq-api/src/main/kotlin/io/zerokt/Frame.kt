package io.zerokt

import kotlinx.io.Buffer
import kotlinx.io.Source
import kotlinx.io.readByteArray
import kotlinx.io.write

/**
 * One frame of a ZeroMQ message: an immutable run of bytes (libzmq's `zmq_msg_t`, one part).
 *
 * A frame never changes after it is built. [Frame.of] copies the caller's bytes; [Frame.wrap] takes
 * ownership of the array without copying, and the caller promises not to touch it again. Frames are shared,
 * never copied, across a PUB fan-out and across `inproc://`.
 *
 * Equality is by content.
 */
public class Frame private constructor(
    @JvmField @PublishedApi internal val array: ByteArray,
    @JvmField @PublishedApi internal val offset: Int,
    /** The number of bytes in this frame. */
    public val size: Int,
) {
    /** True when this frame holds no bytes (the REQ/REP envelope delimiter is such a frame). */
    public val isEmpty: Boolean get() = size == 0

    /** Returns the byte at [index] (0 until [size]). */
    public operator fun get(index: Int): Byte {
        if (index < 0 || index >= size) throw IndexOutOfBoundsException("index $index out of 0 until $size")
        return array[offset + index]
    }

    /** A fresh copy of this frame's bytes. */
    public fun toByteArray(): ByteArray = array.copyOfRange(offset, offset + size)

    /** This frame's bytes decoded as UTF-8. */
    public fun decodeToString(): String = array.decodeToString(offset, offset + size)

    /** Copies this frame's bytes into [destination] at [destinationOffset]. */
    public fun copyInto(destination: ByteArray, destinationOffset: Int = 0) {
        System.arraycopy(array, offset, destination, destinationOffset, size)
    }

    /** Copies this frame's bytes into [destination] at its position, advancing it. */
    public fun copyInto(destination: java.nio.ByteBuffer) {
        destination.put(array, offset, size)
    }

    /** This frame's bytes as a kotlinx-io [Source] (a copy). */
    public fun asSource(): Source = Buffer().also { it.write(array, offset, offset + size) }

    /** True when this frame starts with [prefix]. */
    public fun startsWith(prefix: Frame): Boolean {
        if (prefix.size > size) return false
        for (i in 0 until prefix.size) if (array[offset + i] != prefix.array[prefix.offset + i]) return false
        return true
    }

    override fun equals(other: Any?): Boolean {
        if (this === other) return true
        if (other !is Frame || other.size != size) return false
        return java.util.Arrays.equals(array, offset, offset + size, other.array, other.offset, other.offset + size)
    }

    override fun hashCode(): Int {
        var h = 1
        for (i in offset until offset + size) h = 31 * h + array[i]
        return h
    }

    /** A short description: the size and, for printable frames, the text, else the first bytes in hex. */
    override fun toString(): String {
        val shown = minOf(size, 32)
        val printable = (0 until shown).all { array[offset + it] in 0x20..0x7e }
        val body = if (printable) {
            "\"" + array.decodeToString(offset, offset + shown) + "\""
        } else {
            (0 until shown).joinToString("") { "%02x".format(array[offset + it]) }
        }
        return "Frame[$size]" + body + if (shown < size) "…" else ""
    }

    public companion object {
        /** The empty frame. */
        @JvmField
        public val EMPTY: Frame = Frame(ByteArray(0), 0, 0)

        /** A frame holding a copy of [bytes] (or of `bytes[offset until offset+length]`). */
        @JvmStatic
        @JvmOverloads
        public fun of(bytes: ByteArray, offset: Int = 0, length: Int = bytes.size - offset): Frame {
            checkRange(bytes, offset, length)
            return if (length == 0) EMPTY else Frame(bytes.copyOfRange(offset, offset + length), 0, length)
        }

        /** A frame holding [text] encoded as UTF-8. */
        @JvmStatic
        public fun of(text: String): Frame = if (text.isEmpty()) EMPTY else wrap(text.encodeToByteArray())

        /** A frame holding every byte left in [source]. */
        @JvmStatic
        public fun of(source: Source): Frame = wrap(source.readByteArray())

        /**
         * A frame over [bytes] without copying. The caller gives the array away: changing it afterwards
         * changes a message that may already be on its way, so don't.
         */
        @JvmStatic
        @JvmOverloads
        public fun wrap(bytes: ByteArray, offset: Int = 0, length: Int = bytes.size - offset): Frame {
            checkRange(bytes, offset, length)
            return Frame(bytes, offset, length)
        }

        private fun checkRange(bytes: ByteArray, offset: Int, length: Int) {
            if (offset < 0 || length < 0 || offset + length > bytes.size) {
                throw IndexOutOfBoundsException("offset=$offset length=$length array size=${bytes.size}")
            }
        }
    }
}
