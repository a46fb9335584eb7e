package io.zerokt.uring

import io.netty.buffer.ByteBuf
import io.netty.buffer.ByteBufAllocator
import io.netty.buffer.PooledByteBufAllocator
import io.netty.buffer.Unpooled
import io.netty.channel.Channel
import io.netty.channel.ChannelDuplexHandler
import io.netty.channel.ChannelFutureListener
import io.netty.channel.ChannelHandlerContext
import io.netty.channel.ChannelPromise
import io.netty.channel.unix.Socket
import io.netty.channel.unix.UnixChannel
import io.netty.channel.uring.IoUringChannelOption
import io.netty.util.concurrent.Future
import io.netty.util.concurrent.ImmediateEventExecutor
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.ZeroKtInternalApi
import io.zerokt.engine.spi.ReceiveQueue
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withContext
import org.slf4j.LoggerFactory
import java.io.IOException
import java.net.InetSocketAddress
import java.net.SocketAddress
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.resume

/**
 * One io_uring connection as a [ByteStream], and the Netty handler that feeds it.
 *
 * Reads: the event loop queues the buffers Netty's channel receives, or, with the multishot option, those a
 * [UringReceiver] of the stream's own receives into the loop's [UringBufferGroup]; [read] copies as many queued bytes
 * as fit and suspends only when none are queued. Receiving pauses (auto-read off, or the receiver's receive cancelled)
 * while the queued buffers hold more than [PAUSE_BYTES], so neither a slow socket nor a peer that sends tiny segments
 * (each holding a whole receive buffer) can make the queue grow without bound.
 *
 * The connection's driver runs on the channel's event loop ([dispatcher]), so a read is served by the thread that
 * received it and a write is handed to the channel without a task hop.
 *
 * Writes: [write] copies the engine's batch into pooled direct buffers that a [UringSender] sends with `SEND`
 * operations of its own on the event loop's ring (`SEND_ZC` from the socket's zero-copy threshold), without waiting
 * for the kernel; it suspends only while more than [UringSender.HIGH_BYTES] are unsent. With [cork], the socket is
 * corked once a write queues behind one in flight and uncorked when the last completes (`TCP_CORK`). Where the sender
 * cannot register (or with `-Dzerokt.uring.channelWrites=true`), batches go through the channel instead (Netty's
 * write path, its zero-copy send for SEND_ZC), and the writer waits on the channel's write high-water mark.
 *
 * Direct writes ([writeNow], REQ and REP): while no write handed to the event loop is still in flight, the sending
 * thread writes a request or reply itself with one `send(2)`, as the default engine does, instead of waking the event
 * loop to submit it. It writes on a duplicate of the channel's descriptor made by [duplicator] (see
 * [DescriptorDuplicator] for why), closed when the channel goes inactive or the stream closes. Writes at or above the
 * socket's SEND_ZC threshold are left to the event loop, which sends them zero-copy.
 *
 * No zero-copy on a tcp connection to this host (a loopback address, or the connection's own local address): the
 * kernel copies every zero-copy send that loops back to a local socket anyway (a deferred copy, its
 * `msg_zerocopy.rst`, "Loopback"), so such sends only add their notifications, and a request or reply above the
 * threshold would lose its direct write. Measured on loopback with the threshold forced on (64 KiB PUSH/PULL 33.6k
 * against 39.8k msg/s without it, REQ/REP 81.8 against 60.3 us, `bin/zkt perf --io-uring-variants`, one run).
 */
@OptIn(ZeroKtInternalApi::class)
internal class UringStream(
    private val cork: Boolean,
    private val duplicator: DescriptorDuplicator?,
    /** Writes of at least this many bytes use SEND_ZC (-1: none), so they are not written directly while it is on. */
    private val zeroCopyThreshold: Int = -1,
    /** True sends zero-copy on a connection to this host too, where the kernel copies anyway (to measure it). */
    private val zeroCopyLoopback: Boolean = false,
    /** The receive buffer group of a channel's event loop, for multishot receives (null: the channel reads). */
    private val receiveGroup: ((Channel) -> UringBufferGroup?)? = null,
) : ChannelDuplexHandler(), ByteStream {
    @Volatile private var channel: Channel? = null
    @Volatile override var remoteAddress: String = "unknown"

    private val lock = Any()
    private val inbound = ReceiveQueue()
    private var paused = false
    private var ended = false
    private var closed = false
    private var failure: IOException? = null
    private var readWaiter: CancellableContinuation<Unit>? = null
    private var writeWaiter: CancellableContinuation<Unit>? = null

    /** Writes in flight, for [cork]; touched on the event loop only. */
    private var inFlight = 0

    /** True while TCP_CORK is set; touched on the event loop only. */
    private var corked = false

    /** Writes handed to the channel and not completed yet: a direct write waits until there are none. */
    private val pendingWrites = AtomicInteger()
    private val writeDone = ChannelFutureListener { pendingWrites.decrementAndGet() }

    /** Guards [direct], [directBuffer] and [directClosed]: a direct write never overlaps closing its descriptor. */
    private val directLock = Any()

    /** The duplicate descriptor direct writes use; made by the first [writeNow], on the event loop. */
    private var direct: Socket? = null

    /** Where a direct write's bytes are copied for `send(2)` (a pooled direct buffer, up to [DIRECT_KEPT_BYTES], released on close). */
    private var directBuffer: ByteBuf? = null
    private var directClosed = false

    /** Sends this connection's bytes with its own ring operations; made when the channel becomes active. */
    @Volatile private var sender: UringSender? = null

    /** [zeroCopyThreshold], or -1 once [channelActive] found that the connection loops back to this host. */
    @Volatile private var zeroCopyFrom = zeroCopyThreshold

    /** What [sender] reports, on the event loop. */
    private val senderListener = object : UringSender.Listener {
        override fun drained() = wakeWriter()

        override fun failed(cause: IOException) {
            synchronized(lock) { if (failure == null) failure = cause }
            channel?.close()
            wakeAll()
        }
    }

    /** Receives this connection's bytes with a multishot receive of its own; made when the channel becomes active. */
    @Volatile private var receiver: UringReceiver? = null

    /** What [receiver] hands over, on the event loop. */
    private val receiverSink = object : UringReceiver.Sink {
        override fun received(buf: ByteBuf) = queue(buf)

        override fun ended() {
            channel?.close() // as Netty closes a channel that read the end of the stream
        }

        override fun failed(cause: IOException) = senderListener.failed(cause)
    }

    /** The channel's event loop as a dispatcher: the connection's driver runs there, next to its reads and writes. */
    @Volatile private var loop: CoroutineDispatcher? = null

    override val dispatcher: CoroutineDispatcher? get() = loop

    override fun handlerAdded(ctx: ChannelHandlerContext) {
        channel = ctx.channel()
        loop = ctx.channel().eventLoop().asCoroutineDispatcher()
    }

    override fun channelActive(ctx: ChannelHandlerContext) {
        if (zeroCopyThreshold >= 0 && !zeroCopyLoopback && loopsBack(ctx.channel())) {
            zeroCopyFrom = -1
            runCatching { ctx.channel().config().setOption(IoUringChannelOption.IO_URING_WRITE_ZERO_COPY_THRESHOLD, -1) }
            log.debug("{}: no zero-copy sends to this host (the kernel would copy them anyway)", ctx.channel())
        }
        // Chosen before the first write, so that all of a connection's bytes take one path. The channel writes where
        // the sender cannot register, or with CHANNEL_WRITES.
        if (!CHANNEL_WRITES) {
            sender = UringSender.open(ctx.channel(), cork, zeroCopyFrom, pendingWrites, senderListener)
        }
        val group = receiveGroup?.invoke(ctx.channel())
        if (group != null) {
            // Off before Netty's head handler starts reading (after this returns): the receiver reads instead.
            ctx.channel().config().isAutoRead = false
            receiver = UringReceiver.open(ctx.channel(), group, receiverSink)
            if (receiver == null) ctx.channel().config().isAutoRead = true
        }
        ctx.fireChannelActive()
    }

    override fun channelRead(ctx: ChannelHandlerContext, msg: Any) = queue(msg as ByteBuf)

    /** Queues received bytes for the reader, pausing receives above [PAUSE_BYTES] held; on the event loop. */
    private fun queue(buf: ByteBuf) {
        val waiter: CancellableContinuation<Unit>?
        synchronized(lock) {
            if (closed || !buf.isReadable) {
                buf.release()
                return
            }
            inbound.add(buf)
            if (inbound.held > PAUSE_BYTES && !paused) {
                paused = true
                val r = receiver
                if (r != null) r.pause() else channel?.config()?.isAutoRead = false
            }
            waiter = readWaiter
            readWaiter = null
        }
        waiter?.resume(Unit)
    }

    override fun channelWritabilityChanged(ctx: ChannelHandlerContext) {
        if (ctx.channel().isWritable) wakeWriter()
        ctx.fireChannelWritabilityChanged()
    }

    override fun channelInactive(ctx: ChannelHandlerContext) {
        sender?.stop()
        receiver?.stop()
        end(null)
        ctx.fireChannelInactive()
    }

    @Suppress("OVERRIDE_DEPRECATION")
    override fun exceptionCaught(ctx: ChannelHandlerContext, cause: Throwable) {
        synchronized(lock) {
            if (failure == null) failure = cause as? IOException ?: IOException(cause.message ?: cause.javaClass.simpleName, cause)
        }
        ctx.close()
        wakeAll()
    }

    override fun write(ctx: ChannelHandlerContext, msg: Any, promise: ChannelPromise) {
        if (!cork) {
            ctx.write(msg, promise)
            return
        }
        val tracked = promise.unvoid()
        // Cork only once a second write is queued behind one in flight (a burst): a lone write, a request or a
        // reply, goes out at once instead of waiting for its own completion to uncork it.
        if (++inFlight == 2 && !corked) {
            corked = true
            setCork(ctx, true)
        }
        tracked.addListener {
            if (--inFlight == 0 && corked) {
                corked = false
                setCork(ctx, false)
            }
        }
        ctx.write(msg, tracked)
    }

    private fun setCork(ctx: ChannelHandlerContext, on: Boolean) {
        val ch = ctx.channel()
        if (ch.isOpen) runCatching { ch.config().setOption(IoUringChannelOption.TCP_CORK, on) }
    }

    override suspend fun read(destination: ByteArray, offset: Int, length: Int): Int {
        if (length == 0) return 0
        while (true) {
            val n = readNow(destination, offset, length)
            if (n != 0) return n
            suspendCancellableCoroutine { cont ->
                val ready = synchronized(lock) {
                    val ready = !inbound.isEmpty || ended || closed || failure != null
                    if (!ready) readWaiter = cont
                    ready
                }
                if (ready) cont.resume(Unit)
                cont.invokeOnCancellation { synchronized(lock) { if (readWaiter === cont) readWaiter = null } }
            }
        }
    }

    /** Memory held by received buffers not read yet (for tests). */
    internal val held: Long get() = synchronized(lock) { inbound.held }

    /** Received bytes not read yet (for tests). */
    internal val readable: Int get() = synchronized(lock) { inbound.readable }

    /** The allocator the channel's receive buffers come from (for tests). */
    internal val receiveAllocator: ByteBufAllocator? get() = channel?.config()?.allocator

    /** This stream's [UringReceiver], when it receives with its own multishot receives (for tests). */
    internal val groupReceiver: UringReceiver? get() = receiver

    /** True when writes go to the ring through a [UringSender] (for tests). */
    internal val sendsToRing: Boolean get() = sender != null

    /** Zero-copy sends so far, and those still awaiting their notification; call on the event loop (for tests). */
    internal val zeroCopySends: Int get() = sender?.zeroCopySends ?: 0
    internal val awaitingNotification: Int get() = sender?.awaitingNotification ?: 0

    /** True while the sender sends zero-copy from the threshold (false: not asked, or refused here) (for tests). */
    internal val zeroCopyOn: Boolean get() = sender?.zeroCopyOn == true

    /** Bytes written and not yet taken by the kernel; call on the event loop (for tests). */
    internal val unsentBytes: Long get() = sender?.unsent ?: 0L

    /** True while the channel is open (for tests). */
    internal val isOpen: Boolean get() = channel?.isOpen == true

    /** True while reading is paused (for tests). */
    internal val isPaused: Boolean get() = synchronized(lock) { paused }

    override fun readNow(destination: ByteArray, offset: Int, length: Int): Int {
        synchronized(lock) {
            if (closed) throw IOException("the connection was closed")
            val copied = inbound.copyOut(destination, offset, length)
            if (copied > 0) {
                if (paused && inbound.held <= RESUME_BYTES) {
                    paused = false
                    val r = receiver
                    if (r == null) {
                        channel?.config()?.isAutoRead = true
                    } else {
                        val ch = channel
                        if (ch == null || ch.eventLoop().inEventLoop()) r.resume() else ch.eventLoop().execute { r.resume() }
                    }
                }
                return copied
            }
            failure?.let { throw IOException(it.message, it) }
            return if (ended) -1 else 0
        }
    }

    override suspend fun write(source: ByteArray, offset: Int, length: Int) {
        val ch = channel ?: throw IOException("not connected")
        checkWritable()
        // The driver writes on the event loop (the stream's dispatcher); a write from elsewhere hops there first.
        if (!ch.eventLoop().inEventLoop()) return withContext(checkNotNull(loop)) { write(source, offset, length) }
        val s = sender
        if (s != null) {
            s.send(source, offset, length)
            if (s.unsent > UringSender.HIGH_BYTES) awaitRoom { s.unsent <= UringSender.LOW_BYTES }
            return
        }
        // Netty 4.2's default (adaptive) allocator pools nothing above 16.5 KiB in a heap of 512 MiB or less: each
        // 64 KiB batch was a fresh direct buffer, 12% of the sending event loop's CPU at 64 B. The pooled one: 4%.
        val buf = PooledByteBufAllocator.DEFAULT.directBuffer(length)
        buf.writeBytes(source, offset, length)
        pendingWrites.incrementAndGet()
        val promise = ch.newPromise()
        ch.writeAndFlush(buf, promise)
        // Added last, so that TCP_CORK's listener (added by the handler's write) has uncorked before a direct
        // write sees no writes pending.
        promise.addListener(writeDone)
        if (!ch.isWritable) awaitRoom { ch.isWritable }
    }

    /** Suspends until [room] says the writer may go on; throws once the connection failed or closed. */
    private suspend inline fun awaitRoom(crossinline room: () -> Boolean) {
        while (true) {
            checkWritable()
            if (room()) return
            suspendCancellableCoroutine { cont ->
                val ready = synchronized(lock) {
                    val ready = room() || ended || closed || failure != null
                    if (!ready) writeWaiter = cont
                    ready
                }
                if (ready) cont.resume(Unit)
                cont.invokeOnCancellation { synchronized(lock) { if (writeWaiter === cont) writeWaiter = null } }
            }
        }
    }

    override fun writeNow(source: ByteArray, offset: Int, length: Int): Int {
        val ch = channel ?: return -1
        if (duplicator == null) return -1
        synchronized(directLock) {
            if (directClosed) {
                if (length == 0) return -1
                throw IOException("the connection was closed")
            }
            val socket = direct ?: openDirect(ch) ?: return if (length == 0) -1 else 0
            // Bytes handed to the channel before these may not have reached the kernel: the writer queues these.
            if (length == 0 || pendingWrites.get() != 0) return 0
            // The socket asked for zero-copy sends from this size: the writer's SEND_ZC does that, send(2) copies
            // (unless the kernel refused them on this socket: a Unix socket, a kernel without them).
            if (zeroCopyFrom in 0..length && sender?.zeroCopyOn != false) return 0
            val n = minOf(length, DIRECT_MAX_BYTES)
            val kept = n <= DIRECT_KEPT_BYTES
            val buf = if (kept) keptBuffer(n) else PooledByteBufAllocator.DEFAULT.directBuffer(n)
            try {
                buf.clear().writeBytes(source, offset, n)
                return if (buf.hasMemoryAddress()) {
                    socket.sendAddress(buf.memoryAddress(), 0, n)
                } else {
                    val nio = buf.internalNioBuffer(0, n)
                    socket.send(nio, nio.position(), nio.limit())
                }
            } finally {
                if (!kept) buf.release()
            }
        }
    }

    /** The direct-write buffer kept between writes, grown to hold [size] bytes. Holding [directLock]. */
    private fun keptBuffer(size: Int): ByteBuf {
        directBuffer?.let { if (it.capacity() >= size) return it }
        directBuffer?.release()
        return PooledByteBufAllocator.DEFAULT.directBuffer(maxOf(size, DIRECT_INITIAL_BYTES)).also { directBuffer = it }
    }

    /**
     * Duplicates the channel's descriptor for direct writes, on the event loop only: there Netty cannot be closing
     * it, so the number is still the channel's. Null when that cannot be done (direct writes stay off).
     */
    private fun openDirect(ch: Channel): Socket? {
        val duplicator = duplicator ?: return null
        if (!ch.eventLoop().inEventLoop() || !ch.isActive) return null
        val fd = (ch as? UnixChannel)?.fd()?.takeIf { it.isOpen }?.intValue() ?: return null
        val copy = try {
            duplicator.duplicate(fd)
        } catch (e: IOException) {
            directClosed = true
            return null
        }
        return Socket(copy).also { direct = it }
    }

    /** Closes the direct-write descriptor and buffer. Idempotent. */
    private fun closeDirect() {
        synchronized(directLock) {
            directClosed = true
            runCatching { direct?.close() }
            direct = null
            directBuffer?.release()
            directBuffer = null
        }
    }

    /**
     * The channel's event loop stopped under this connection (see [UringTransport]): reads and writes fail with
     * [cause] from now on, and whoever waits for them is woken.
     */
    internal fun abandon(cause: IOException) = end(cause)

    /** No more bytes either way (failing with [cause] when given): the direct writes stop and every waiter wakes. */
    private fun end(cause: IOException?) {
        closeDirect()
        synchronized(lock) {
            if (cause != null && failure == null) failure = cause
            ended = true
        }
        wakeAll()
    }

    private fun checkWritable() {
        synchronized(lock) {
            failure?.let { throw IOException(it.message, it) }
            if (closed || ended) throw IOException("the connection was closed")
        }
    }

    override fun close() {
        synchronized(lock) {
            if (closed) return
            closed = true
            inbound.releaseAll()
        }
        wakeAll()
        // What direct writes sent is in the kernel already; the channel's own descriptor keeps the connection open.
        closeDirect()
        val ch = channel ?: return
        if (!ch.isActive) {
            ch.close()
            return
        }
        // Writes are handed over without waiting, so the last ones may still be on their way to the kernel (a
        // closing socket's final batch): close once they are written, as the default engine's flushed writes
        // would be, but never later than CLOSE_GRACE_MILLIS (a peer that stopped reading: the sender gives up).
        try {
            flushed().addListener { ch.close() }
            ch.eventLoop().schedule({ sender?.stop(); ch.close() }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        } catch (e: java.util.concurrent.RejectedExecutionException) {
            ch.close() // the event loop is shutting down: it closes its channels itself
        }
    }

    /**
     * Completes once what was written so far has reached the kernel (or cannot): [close] and the transport's close wait
     * for this before closing the channel.
     */
    internal fun flushed(): Future<*> {
        val ch = channel ?: return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null)
        val s = sender ?: return ch.writeAndFlush(Unpooled.EMPTY_BUFFER)
        val done = ch.eventLoop().newPromise<Unit>()
        ch.eventLoop().execute { s.whenIdle { done.trySuccess(Unit) } }
        return done
    }

    private fun wakeWriter() {
        val w = synchronized(lock) { writeWaiter.also { writeWaiter = null } }
        w?.resume(Unit)
    }

    private fun wakeAll() {
        val r: CancellableContinuation<Unit>?
        val w: CancellableContinuation<Unit>?
        synchronized(lock) {
            r = readWaiter
            readWaiter = null
            w = writeWaiter
            writeWaiter = null
        }
        r?.resume(Unit)
        w?.resume(Unit)
    }

    internal companion object {
        private val log = LoggerFactory.getLogger(UringStream::class.java)

        /**
         * True when a tcp connection from [local] to [remote] stays on this host: [remote] is a loopback address or
         * [local] itself (a connection to one of the host's own addresses goes through loopback). False for other
         * peers, and for connections without IP addresses (ipc).
         */
        fun loopsBack(local: SocketAddress?, remote: SocketAddress?): Boolean {
            val to = (remote as? InetSocketAddress)?.address ?: return false
            return to.isLoopbackAddress || to == (local as? InetSocketAddress)?.address
        }

        private fun loopsBack(channel: Channel) = loopsBack(channel.localAddress(), channel.remoteAddress())

        /** Memory held by queued received buffers above which reading pauses. */
        const val PAUSE_BYTES = 1 shl 20

        /** Memory held by queued received buffers at or below which a paused read resumes. */
        const val RESUME_BYTES = 256 shl 10

        /** The most bytes one direct write sends; the writer sends the rest of a larger message. */
        const val DIRECT_MAX_BYTES = 1 shl 20

        /**
         * The largest direct-write buffer kept between writes (a 64 KiB message and its frame header fit); a larger
         * write copies through a pooled buffer it gives back at once. At 64 KiB this was 64 KiB, and the header's
         * last 9 bytes of every 64 KiB reply went through the event loop: 1.54x the default engine's round trip.
         */
        const val DIRECT_KEPT_BYTES = 128 shl 10

        /** The direct-write buffer's first capacity. */
        const val DIRECT_INITIAL_BYTES = 4 shl 10

        /** Write through the channel instead of a [UringSender] (`-Dzerokt.uring.channelWrites=true`, to compare). */
        val CHANNEL_WRITES: Boolean = java.lang.Boolean.getBoolean("zerokt.uring.channelWrites")

        /** The longest a closed stream waits for its last writes to reach the kernel. */
        const val CLOSE_GRACE_MILLIS = 2_000L
    }
}
