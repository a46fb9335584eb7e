package io.zerokt.engine.spi

import io.netty.buffer.ByteBuf

/**
 * Copies up to [length] bytes from the front of this queue of received buffers into [destination] at [offset],
 * releasing each buffer it empties; returns the number copied (0 when the queue is empty). For the Netty-based
 * [ByteStream]s; not thread-safe: the caller holds the lock that guards the queue.
 */
@ZeroKtInternalApi
public fun ArrayDeque<ByteBuf>.copyOut(destination: ByteArray, offset: Int, length: Int): Int {
    var copied = 0
    while (copied < length) {
        val head = firstOrNull() ?: break
        val n = minOf(length - copied, head.readableBytes())
        head.readBytes(destination, offset + copied, n)
        copied += n
        if (!head.isReadable) {
            removeFirst()
            head.release()
        }
    }
    return copied
}
