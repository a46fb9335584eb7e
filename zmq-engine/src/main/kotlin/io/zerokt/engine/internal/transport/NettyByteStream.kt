package io.zerokt.engine.internal.transport

import io.netty.buffer.ByteBuf
import io.netty.channel.Channel
import io.netty.channel.ChannelHandlerContext
import io.netty.channel.ChannelInboundHandlerAdapter
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.ZeroKtInternalApi
import io.zerokt.engine.spi.copyOut
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import java.io.IOException
import kotlin.coroutines.resume

/**
 * A [ByteStream] over one Netty [Channel]: Netty's event loop pushes what it reads into a queue that [read] takes
 * from; [write] hands a copy to the channel and waits only while the channel reports itself unwritable.
 *
 * Reading stops (auto-read off) while more than [HIGH_WATER] bytes wait unread, so a slow socket pushes back on
 * its peer instead of buffering without bound.
 */
@OptIn(ZeroKtInternalApi::class)
internal class NettyByteStream(
    private val channel: Channel,
    override val remoteAddress: String,
) : ChannelInboundHandlerAdapter(), ByteStream {
    private val lock = Any()
    private val queue = ArrayDeque<ByteBuf>()
    private var queuedBytes = 0
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
            queue.addLast(buf)
            queuedBytes += buf.readableBytes()
            if (queuedBytes > HIGH_WATER) channel.config().isAutoRead = false
            waiting = reader
            reader = null
        }
        waiting?.resume(Unit)
    }

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
                if (queue.isNotEmpty()) return take(destination, offset, length)
                if (ended) return -1
            }
            suspendCancellableCoroutine { cont ->
                val ready = synchronized(lock) {
                    if (queue.isNotEmpty() || ended) {
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
        queuedBytes -= n
        if (queuedBytes <= HIGH_WATER / 2 && !ended && !channel.config().isAutoRead) channel.config().isAutoRead = true
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
            queue.forEach { it.release() }
            queue.clear()
            queuedBytes = 0
        }
    }

    override fun close() {
        channel.close()
        end()
        releaseQueued()
    }

    private companion object {
        /** Unread bytes above which reading pauses. */
        const val HIGH_WATER = 1 shl 20
    }
}
