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
    /** This message's frames, in order; never empty. */
    public val frames: List<Frame>,
    @Suppress("UNUSED_PARAMETER") owned: Unit,
    /**
     * The properties of the connection this message arrived on (libzmq's `zmq_msg_gets`): `User-Id` from ZAP,
     * `Peer-Address`, the peer's handshake properties. Null for messages built locally and for inproc. One
     * object is shared by all messages of a connection.
     */
    public val metadata: MessageMetadata? = null,
) : Iterable<Frame> {
    /** A message of the given frames (the list is copied; an empty list means one empty frame). */
    public constructor(frames: List<Frame>) : this(if (frames.isEmpty()) SINGLE_EMPTY else frames.toList(), Unit)

    /** A message of the given frames. */
    public constructor(vararg frames: Frame) : this(frames.asList())

    /** A single-frame message holding a copy of [bytes]. */
    public constructor(bytes: ByteArray) : this(listOf(Frame.of(bytes)))

    /** A single-frame message holding [text] as UTF-8. */
    public constructor(text: String) : this(listOf(Frame.of(text)))

    /** The number of frames. */
    public val size: Int get() = frames.size

    /** The frame at [index]. */
    public operator fun get(index: Int): Frame = frames[index]

    /** The first frame. */
    public fun first(): Frame = frames[0]

    /** The last frame. */
    public fun last(): Frame = frames[frames.size - 1]

    /** The total number of payload bytes in all frames. */
    public val byteCount: Long get() = frames.sumOf { it.size.toLong() }

    /** The first frame decoded as UTF-8 (convenient for single-frame text messages). */
    public fun decodeToString(): String = frames[0].decodeToString()

    /** A copy of the first frame's bytes. */
    public fun toByteArray(): ByteArray = frames[0].toByteArray()

    /** A new message with [frame] put before this message's frames (an envelope, a routing id). */
    public fun prepend(frame: Frame): Message =
        Message(ArrayList<Frame>(frames.size + 1).apply { add(frame); addAll(frames) }, Unit, metadata)

    /** A new message without the first [count] frames. */
    public fun drop(count: Int): Message =
        if (count == 0) this else Message(frames.subList(count, frames.size).toList().ifEmpty { SINGLE_EMPTY }, Unit, metadata)

    override fun iterator(): Iterator<Frame> = frames.iterator()

    override fun equals(other: Any?): Boolean = other is Message && other.frames == frames

    override fun hashCode(): Int = frames.hashCode()

    override fun toString(): String = frames.joinToString(prefix = "Message(", postfix = ")")

    public companion object {
        private val SINGLE_EMPTY = listOf(Frame.EMPTY)

        /**
         * A message over [frames] without copying the list: the caller gives the list away and must not change it.
         * An empty list means one empty frame.
         */
        @JvmStatic
        public fun wrap(frames: List<Frame>): Message = Message(if (frames.isEmpty()) SINGLE_EMPTY else frames, Unit)

        /** As [wrap], with the connection [metadata] the message arrived with (for engines). */
        @JvmStatic
        public fun wrap(frames: List<Frame>, metadata: MessageMetadata?): Message =
            Message(if (frames.isEmpty()) SINGLE_EMPTY else frames, Unit, metadata)

        /** A single-frame message over [frame]. */
        @JvmStatic
        public fun of(frame: Frame): Message = Message(listOf(frame), Unit)

        /** A message of the given frames, each a copy of the given bytes. */
        @JvmStatic
        public fun of(vararg frames: ByteArray): Message = Message(frames.map { Frame.of(it) })

        /** A message of the given frames, each a UTF-8 string. */
        @JvmStatic
        public fun of(vararg frames: String): Message = Message(frames.map { Frame.of(it) })
    }
}
