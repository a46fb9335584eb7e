package io.zerokt.engine.spi

import io.zerokt.Frame
import io.zerokt.Message

/**
 * A growable byte buffer that the codec appends wire bytes to and the driver writes to the transport.
 *
 * Bytes live in `array[0 until size]`. Every `write*` appends at [size] and grows [array] (doubling) when needed,
 * so [array] may be replaced by a bigger one after any write: read it again after writing, never keep it.
 * Multi-byte integers are written big-endian (network order), as ZMTP requires.
 *
 * Not thread-safe. Test it like any value: write, then compare `array.copyOf(size)` with the expected bytes.
 */
@ZeroKtInternalApi
public class OutputBuffer(initialCapacity: Int = 16384) {
    init {
        require(initialCapacity >= 0) { "initialCapacity must be >= 0: $initialCapacity" }
    }

    /** The backing array; bytes `0 until size` are the content. Replaced when the buffer grows. */
    public var array: ByteArray = ByteArray(initialCapacity)
        private set

    /** The number of bytes written and not yet [clear]ed or [discardFirst]ed. */
    public var size: Int = 0
        private set

    /** True when the buffer holds no bytes. */
    public val isEmpty: Boolean get() = size == 0

    /** Sets [size] to [newSize] (at most the capacity): for writers that filled [array] directly after [ensureWritable]. */
    public fun setSize(newSize: Int) {
        require(newSize in 0..array.size) { "size $newSize outside 0..${array.size}" }
        size = newSize
    }

    /** Empties the buffer; the capacity is kept. */
    public fun clear() {
        size = 0
    }

    /** Grows [array] so that it holds at least [minCapacity] bytes in total (as `ArrayList.ensureCapacity`). */
    public fun ensureCapacity(minCapacity: Int) {
        if (minCapacity <= array.size) return
        require(minCapacity <= MAX_CAPACITY) { "OutputBuffer capacity $minCapacity exceeds $MAX_CAPACITY" }
        var newCapacity = maxOf(array.size, 64)
        while (newCapacity < minCapacity) {
            newCapacity = if (newCapacity > MAX_CAPACITY / 2) MAX_CAPACITY else newCapacity * 2
        }
        array = array.copyOf(newCapacity)
    }

    /** Makes room for [count] more bytes after [size]. */
    public fun ensureWritable(count: Int) {
        require(count >= 0) { "count must be >= 0: $count" }
        val needed = size.toLong() + count
        require(needed <= MAX_CAPACITY) { "OutputBuffer would hold $needed bytes, more than $MAX_CAPACITY" }
        ensureCapacity(needed.toInt())
    }

    /** Appends the low 8 bits of [b]. */
    public fun writeByte(b: Int) {
        ensureWritable(1)
        array[size++] = b.toByte()
    }

    /** Appends `src[off until off + len]`. */
    public fun writeBytes(src: ByteArray, off: Int, len: Int) {
        ensureWritable(len)
        System.arraycopy(src, off, array, size, len)
        size += len
    }

    /** Appends all of [src]. */
    public fun writeBytes(src: ByteArray) {
        writeBytes(src, 0, src.size)
    }

    /** Appends the bytes of [frame] (one copy, straight from the frame's storage). */
    public fun writeFrame(frame: Frame) {
        ensureWritable(frame.size)
        frame.copyInto(array, size)
        size += frame.size
    }

    /** Appends the bytes of [message]'s frame at [index] (as [writeFrame] of that frame, without making it). */
    public fun writeFrame(message: Message, index: Int) {
        val n = message.frameSize(index)
        ensureWritable(n)
        message.copyFrameInto(index, array, size)
        size += n
    }

    /** Appends [v] as 2 bytes, big-endian (low 16 bits). */
    public fun writeShort(v: Int) {
        ensureWritable(2)
        val a = array
        a[size] = (v ushr 8).toByte()
        a[size + 1] = v.toByte()
        size += 2
    }

    /** Appends [v] as 4 bytes, big-endian. */
    public fun writeInt(v: Int) {
        ensureWritable(4)
        val a = array
        var p = size
        a[p++] = (v ushr 24).toByte()
        a[p++] = (v ushr 16).toByte()
        a[p++] = (v ushr 8).toByte()
        a[p++] = v.toByte()
        size = p
    }

    /** Appends [v] as 8 bytes, big-endian. */
    public fun writeLong(v: Long) {
        ensureWritable(8)
        val a = array
        var p = size
        for (shift in 56 downTo 0 step 8) a[p++] = (v ushr shift).toByte()
        size = p
    }

    /** Appends the whole content of [other] (which is left unchanged). */
    public fun writeBuffer(other: OutputBuffer) {
        writeBytes(other.array, 0, other.size)
    }

    /**
     * Removes the first [count] bytes and moves the rest to the front: for a driver whose transport wrote only
     * part of the buffer.
     */
    public fun discardFirst(count: Int) {
        require(count in 0..size) { "cannot discard $count bytes of $size" }
        System.arraycopy(array, count, array, 0, size - count)
        size -= count
    }

    /** A copy of the content (for tests and diagnostics). */
    public fun toByteArray(): ByteArray = array.copyOf(size)

    override fun toString(): String = "OutputBuffer(size=$size, capacity=${array.size})"

    private companion object {
        /** The largest array the JVM reliably allocates. */
        const val MAX_CAPACITY = Int.MAX_VALUE - 8
    }
}
