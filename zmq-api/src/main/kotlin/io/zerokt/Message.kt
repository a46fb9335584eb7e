package io.zerokt

/**
 * A ZeroMQ message: one or more [Frame]s that travel together, atomically (libzmq's multipart message,
 * the frames of one `zmq_send(..., ZMQ_SNDMORE)` sequence).
 *
 * A message is immutable. Either every frame of it reaches the peer or none does. A message always has at
 * least one frame; a zero-length single-frame message is valid.
 *
 * Build one with [Message.of] or the constructors; read it with [frames], [get], [first] and the conversions.
 *
 * For ROUTER-style sockets the routing envelope is part of the frames (the first frame is the peer's routing id),
 * as in libzmq. The thread-safe draft sockets will carry a routing id and a group beside the frames instead.
 */
public class Message private constructor(
    // The first frame is held inline (its array, offset and size), so a single-frame message received off the wire
    // is one object beside its bytes: no frame list, no Frame. Frames after the first are in [rest].
    private val headArray: ByteArray,
    private val headOffset: Int,
    private val headSize: Int,
    /** Frames 2..n, or null for a single-frame message. Never empty. */
    private val rest: List<Frame>?,
    /**
     * The properties of the connection this message arrived on (libzmq's `zmq_msg_gets`): `User-Id` from ZAP,
     * `Peer-Address`, the peer's handshake properties. Null for messages built locally and for inproc. One
     * object is shared by all messages of a connection.
     */
    public val metadata: MessageMetadata? = null,
) : Iterable<Frame> {
    private constructor(head: Frame, rest: List<Frame>?, metadata: MessageMetadata?) :
        this(head.array, head.offset, head.size, rest, metadata)

    /** A message of the given frames (the list is copied; an empty list means one empty frame). */
    public constructor(frames: List<Frame>) :
        this(frames.firstOrNull() ?: Frame.EMPTY, restOf(frames, copy = true), null)

    /** A message of the given frames. */
    public constructor(vararg frames: Frame) : this(frames.asList())

    /** A single-frame message holding a copy of [bytes]. */
    public constructor(bytes: ByteArray) : this(Frame.of(bytes), null, null)

    /** A single-frame message holding [text] as UTF-8. */
    public constructor(text: String) : this(Frame.of(text), null, null)

    /**
     * This message's frames, in order; never empty. A single-frame message makes this list (and its [Frame]) when
     * asked: index with [get] or use [first] where no list is needed.
     */
    public val frames: List<Frame>
        get() {
            val head = first()
            return if (rest == null) listOf(head) else ArrayList<Frame>(1 + rest.size).apply { add(head); addAll(rest) }
        }

    /** The number of frames. */
    public val size: Int get() = if (rest == null) 1 else 1 + rest.size

    /** The frame at [index]. */
    public operator fun get(index: Int): Frame = when {
        index == 0 -> first()
        rest != null && index > 0 && index <= rest.size -> rest[index - 1]
        else -> throw IndexOutOfBoundsException("frame $index of a message of $size")
    }

    /** The first frame. */
    public fun first(): Frame = Frame.wrap(headArray, headOffset, headSize)

    /** The last frame. */
    public fun last(): Frame = if (rest == null) first() else rest[rest.size - 1]

    /** The byte at [index] of the first frame (as `first()[index]`, without making the frame). */
    public fun byteAt(index: Int): Byte {
        if (index < 0 || index >= headSize) throw IndexOutOfBoundsException("index $index out of 0 until $headSize")
        return headArray[headOffset + index]
    }

    /** The size in bytes of the frame at [index] (as `get(index).size`, without making the frame). */
    public fun frameSize(index: Int): Int = if (index == 0) headSize else get(index).size

    /**
     * Copies the bytes of the frame at [index] into [destination] at [destinationOffset] (as `get(index).copyInto`,
     * without making the frame; for engines that encode messages).
     */
    public fun copyFrameInto(index: Int, destination: ByteArray, destinationOffset: Int) {
        if (index == 0) System.arraycopy(headArray, headOffset, destination, destinationOffset, headSize)
        else get(index).copyInto(destination, destinationOffset)
    }

    /** The total number of payload bytes in all frames. */
    public val byteCount: Long get() = headSize + (rest?.sumOf { it.size.toLong() } ?: 0L)

    /** The first frame decoded as UTF-8 (convenient for single-frame text messages). */
    public fun decodeToString(): String = headArray.decodeToString(headOffset, headOffset + headSize)

    /** A copy of the first frame's bytes. */
    public fun toByteArray(): ByteArray = headArray.copyOfRange(headOffset, headOffset + headSize)

    /** A new message with [frame] put before this message's frames (an envelope, a routing id). */
    public fun prepend(frame: Frame): Message = Message(frame, frames, metadata)

    /** A new message without the first [count] frames. */
    public fun drop(count: Int): Message {
        if (count == 0) return this
        // [frames] is a new list each call, so a view of it is this message's own: no second copy.
        val left = frames.subList(count, size)
        if (left.isEmpty()) return Message(Frame.EMPTY, null, metadata)
        return Message(left[0], restOf(left, copy = false), metadata)
    }

    override fun iterator(): Iterator<Frame> = frames.iterator()

    override fun equals(other: Any?): Boolean = other is Message && other.frames == frames

    override fun hashCode(): Int = frames.hashCode()

    override fun toString(): String = frames.joinToString(prefix = "Message(", postfix = ")")

    public companion object {
        /** Frames 2..n of [frames] (a copy with [copy], else a view), or null when there is at most one frame. */
        private fun restOf(frames: List<Frame>, copy: Boolean): List<Frame>? = when {
            frames.size <= 1 -> null
            copy -> frames.subList(1, frames.size).toList()
            else -> frames.subList(1, frames.size)
        }

        /**
         * A message over [frames] without copying the list: the caller gives the list away and must not change it.
         * An empty list means one empty frame.
         */
        @JvmStatic
        public fun wrap(frames: List<Frame>): Message = wrap(frames, null)

        /** As [wrap], with the connection [metadata] the message arrived with (for engines). */
        @JvmStatic
        public fun wrap(frames: List<Frame>, metadata: MessageMetadata?): Message =
            Message(frames.firstOrNull() ?: Frame.EMPTY, restOf(frames, copy = false), metadata)

        /**
         * A single-frame message over all of [bytes], without copying them (the caller gives the array away), with
         * the connection [metadata] it arrived with: what an engine makes of each received single-frame message.
         */
        @JvmStatic
        public fun wrap(bytes: ByteArray, metadata: MessageMetadata?): Message = Message(bytes, 0, bytes.size, null, metadata)

        /** A single-frame message over [frame]. */
        @JvmStatic
        public fun of(frame: Frame): Message = Message(frame, null, null)

        /** A message of the given frames, each a copy of the given bytes. */
        @JvmStatic
        public fun of(vararg frames: ByteArray): Message = Message(frames.map { Frame.of(it) })

        /** A message of the given frames, each a UTF-8 string. */
        @JvmStatic
        public fun of(vararg frames: String): Message = Message(frames.map { Frame.of(it) })
    }
}
