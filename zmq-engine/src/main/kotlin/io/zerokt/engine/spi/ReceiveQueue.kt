package io.zerokt.engine.spi

import io.netty.buffer.ByteBuf

/**
 * The buffers a Netty-based [ByteStream] received and its reader has not taken yet, counting both the bytes left to
 * read ([readable]) and the memory the buffers hold ([held]).
 *
 * A read's buffer is sized before the kernel says how much arrived, so a peer that sends one byte per segment makes
 * each byte hold a whole buffer: 1 KiB for a plain io_uring receive, 64 KiB for a multishot one. A pause
 * limit on [readable] let such a peer pin a thousand times the limit; one on [held] bounds the memory whatever the
 * segment sizes. Not thread-safe: the caller holds the lock that guards the queue.
 */
@ZeroKtInternalApi
public class ReceiveQueue {
    private val buffers = ArrayDeque<ByteBuf>()

    /** Bytes received and not read yet. */
    public var readable: Int = 0
        private set

    /** Memory held by the queued buffers: each one's whole capacity, or that of the buffer it is a slice of. */
    public var held: Long = 0
        private set

    /** True when nothing is queued. */
    public val isEmpty: Boolean get() = buffers.isEmpty()

    /** Queues [buf], which the queue now owns (it releases it once read, or in [releaseAll]). */
    public fun add(buf: ByteBuf) {
        buffers.addLast(buf)
        readable += buf.readableBytes()
        held += heldBy(buf)
    }

    /**
     * Copies up to [length] bytes from the front of the queue into [destination] at [offset], releasing each buffer
     * it empties; returns the number copied (0 when the queue is empty).
     */
    public fun copyOut(destination: ByteArray, offset: Int, length: Int): Int {
        var copied = 0
        while (copied < length) {
            val head = buffers.firstOrNull() ?: break
            val n = minOf(length - copied, head.readableBytes())
            head.readBytes(destination, offset + copied, n)
            copied += n
            if (!head.isReadable) {
                buffers.removeFirst()
                held -= heldBy(head)
                head.release()
            }
        }
        readable -= copied
        return copied
    }

    /** Releases every queued buffer and empties the queue. */
    public fun releaseAll() {
        buffers.forEach { it.release() }
        buffers.clear()
        readable = 0
        held = 0
    }

    private companion object {
        /** The capacity of [buf] or of the largest buffer under it (a received slice keeps its whole parent). */
        fun heldBy(buf: ByteBuf): Int {
            var most = buf.capacity()
            var under = buf.unwrap()
            while (under != null) {
                most = maxOf(most, under.capacity())
                under = under.unwrap()
            }
            return most
        }
    }
}
