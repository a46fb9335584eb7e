package io.zerokt.engine.internal.transport

import io.netty.buffer.ByteBuf
import io.netty.buffer.ByteBufAllocator
import io.netty.channel.Channel
import io.netty.channel.ChannelHandlerContext
import io.netty.channel.ChannelInboundHandlerAdapter
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.ZeroKtInternalApi
import io.zerokt.engine.spi.ReceiveQueue
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import java.io.IOException
import kotlin.coroutines.resume

/**
 * A [ByteStream] over one Netty [Channel]: Netty's event loop pushes what it reads into a queue that [read] takes
 * from; [write] hands a copy to the channel and waits only while the channel reports itself unwritable.
 *
 * Reading stops (auto-read off) while the unread buffers hold more than [HIGH_WATER] bytes, so a slow socket pushes
 * back on its peer instead of buffering without bound, even when the peer sends tiny segments (each holding a whole
 * receive buffer).
 */
@OptIn(ZeroKtInternalApi::class)
internal class NettyByteStream(
    private val channel: Channel,
    override val remoteAddress: String,
) : ChannelInboundHandlerAdapter(), ByteStream {
    private val lock = Any()
    private val queue = ReceiveQueue()
    private var ended = false
    private var reader: CancellableContinuation<Unit>? = null
    private var writer: CancellableContinuation<Unit>? = null

    override fun channelRead(ctx: ChannelHandlerContext, msg: Any) {
        val buf = msg as ByteBuf
        val waiting: CancellableContinuation<Unit>?
        synchronized(lock) {
            if (ended) {
                buf.release()
                return
            }
            queue.add(buf)
            if (queue.held > HIGH_WATER) channel.config().isAutoRead = false
            waiting = reader
            reader = null
        }
        waiting?.resume(Unit)
    }

    /** Memory held by received buffers not read yet (for tests). */
    internal val held: Long get() = synchronized(lock) { queue.held }

    /** Received bytes not read yet (for tests). */
    internal val readable: Int get() = synchronized(lock) { queue.readable }

    /** True while reading is paused (for tests). */
    internal val isPaused: Boolean get() = !channel.config().isAutoRead

    /** The allocator the channel's receive and write buffers come from (for tests). */
    internal val allocator: ByteBufAllocator get() = channel.config().allocator

    override fun channelInactive(ctx: ChannelHandlerContext) {
        end()
    }

    override fun channelWritabilityChanged(ctx: ChannelHandlerContext) {
        if (channel.isWritable) wakeWriter()
    }

    @Suppress("OVERRIDE_DEPRECATION")
    override fun exceptionCaught(ctx: ChannelHandlerContext, cause: Throwable) {
        ctx.close() // an I/O error ends the stream; the reader sees the end of input
    }

    override suspend fun read(destination: ByteArray, offset: Int, length: Int): Int {
        while (true) {
            synchronized(lock) {
                if (!queue.isEmpty) return take(destination, offset, length)
                if (ended) return -1
            }
            suspendCancellableCoroutine { cont ->
                val ready = synchronized(lock) {
                    if (!queue.isEmpty || ended) {
                        true
                    } else {
                        reader = cont
                        false
                    }
                }
                if (ready) cont.resume(Unit)
                cont.invokeOnCancellation { synchronized(lock) { if (reader === cont) reader = null } }
            }
        }
    }

    /** Copies up to [length] queued bytes; the caller holds [lock] and the queue is not empty. */
    private fun take(destination: ByteArray, offset: Int, length: Int): Int {
        val n = queue.copyOut(destination, offset, length)
        if (queue.held <= HIGH_WATER / 2 && !ended && !channel.config().isAutoRead) channel.config().isAutoRead = true
        return n
    }

    override suspend fun write(source: ByteArray, offset: Int, length: Int) {
        if (!channel.isActive) throw IOException("the connection is closed")
        val buf = channel.alloc().buffer(length).writeBytes(source, offset, length)
        channel.writeAndFlush(buf, channel.voidPromise())
        while (!channel.isWritable) {
            if (!channel.isActive) throw IOException("the connection is closed")
            suspendCancellableCoroutine { cont ->
                synchronized(lock) { writer = cont }
                // Writability may have come back (or the channel closed) before the writer was registered.
                if (channel.isWritable || !channel.isActive) wakeWriter()
                cont.invokeOnCancellation { synchronized(lock) { if (writer === cont) writer = null } }
            }
        }
    }

    private fun wakeWriter() {
        val waiting = synchronized(lock) { writer.also { writer = null } }
        waiting?.resume(Unit)
    }

    private fun end() {
        val waiting: CancellableContinuation<Unit>?
        synchronized(lock) {
            if (ended) return
            ended = true
            waiting = reader
            reader = null
            // Bytes already read stay readable: a peer that sends and closes is heard to the end.
        }
        waiting?.resume(Unit)
        wakeWriter()
    }

    /** Releases what is still queued once nobody will read it. */
    private fun releaseQueued() {
        synchronized(lock) {
            queue.releaseAll()
        }
    }

    override fun close() {
        channel.close()
        end()
        releaseQueued()
    }

    internal companion object {
        /** Memory held by unread buffers above which reading pauses. */
        const val HIGH_WATER = 1 shl 20
    }
}
