package io.zerokt.uring

import io.netty.bootstrap.Bootstrap
import io.netty.bootstrap.ServerBootstrap
import io.netty.buffer.PooledByteBufAllocator
import io.netty.buffer.Unpooled
import io.netty.channel.AdaptiveRecvByteBufAllocator
import io.netty.channel.Channel
import io.netty.channel.ChannelFuture
import io.netty.channel.ChannelInitializer
import io.netty.channel.ChannelOption
import io.netty.channel.EventLoop
import io.netty.channel.IoEventLoop
import io.netty.channel.IoEventLoopGroup
import io.netty.channel.ServerChannel
import io.netty.channel.WriteBufferWaterMark
import io.netty.channel.unix.DomainSocketAddress
import io.netty.channel.unix.UnixChannel
import io.netty.channel.uring.IoUringChannelOption
import io.netty.channel.uring.IoUringDomainSocketChannel
import io.netty.channel.uring.IoUringIoHandler
import io.netty.channel.uring.IoUringServerDomainSocketChannel
import io.netty.channel.uring.IoUringServerSocketChannel
import io.netty.channel.uring.IoUringSocketChannel
import io.netty.util.concurrent.DefaultThreadFactory
import io.netty.util.concurrent.EventExecutor
import io.netty.util.concurrent.GenericFutureListener
import io.netty.util.concurrent.Future as NettyFuture
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.StreamAddresses
import io.zerokt.engine.spi.StreamListener
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withContext
import org.slf4j.LoggerFactory
import java.io.IOException
import java.net.InetSocketAddress
import java.net.UnknownHostException
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/**
 * The io_uring stream transport of one context: `tcp://` and `ipc://` on Netty's io_uring channels, served by one
 * io_uring event loop group of the context's I/O thread count (daemon threads), shut down by [close].
 */
@OptIn(ZeroKtInternalApi::class)
internal class UringTransport(ioThreads: Int, private val settings: UringSettings) : StreamTransport {
    /** The failure that ended one of [group]'s threads, if one did (Netty logs it too): for [checkRings]'s reason. */
    @Volatile private var loopFailure: Throwable? = null

    private val group = UringEventLoopGroup(
        ioThreads,
        object : DefaultThreadFactory("zkt-io_uring", true) {
            override fun newThread(r: Runnable, name: String): Thread =
                super.newThread(r, name).apply {
                    setUncaughtExceptionHandler { thread, e ->
                        loopFailure = e
                        log.warn("io_uring event loop thread {} ended by a failure", thread.name, e)
                    }
                }
        },
        IoUringIoHandler.newFactory(settings.handlerConfig()),
    )

    /**
     * Checks that each event loop can enter its ring ([RingCheck]); throws an [IOException] saying why not. The
     * provider runs it before handing the transport to a context, and closes the transport when it fails.
     */
    internal fun checkRings() = RingCheck.run(group) { loopFailure }

    /** The event loop group (for tests: to stop a loop under the transport). */
    internal val loops: IoEventLoopGroup get() = group

    /** Duplicates connections' descriptors for direct writes (REQ and REP); closed by [close]. */
    private val duplicator = DescriptorDuplicator()

    /** Every channel this transport opened and that is not closed yet: [close] closes what is left. */
    private val open: MutableSet<Channel> = java.util.concurrent.ConcurrentHashMap.newKeySet()

    override val schemes: Set<String> = setOf("tcp", "ipc")

    /** Every listener not closed yet: a loop that stops fails them all. */
    private val listeners: MutableSet<UringListener> = java.util.concurrent.ConcurrentHashMap.newKeySet()

    /** True once [close] began: loops stopping from then on are expected. */
    @Volatile private var closing = false

    /** Set when a loop stopped under the open transport ([loopStopped]). */
    @Volatile override var failure: String? = null
        private set

    init {
        for (loop in group) loop.terminationFuture().addListener { if (!closing) loopStopped(loop) }
    }

    /**
     * [loop] stopped while the transport was open (its thread ended by a failure, see [loopFailure]): nothing will
     * complete on it again, and Netty's cleanup then does not close its channels. Each connection on it fails, so that
     * the engine drops it (and a connecting socket tries again) instead of waiting for it forever, and its descriptor
     * is closed. The transport has [failed][failure]: the engine makes the context's next connects through its
     * default transport, and binds each of this transport's listeners, failed here, again there (the loop group
     * would go on handing the dead loop new channels, accepted ones included). Connections on the other loops go on.
     */
    private fun loopStopped(loop: EventExecutor) {
        val cause = IOException("the io_uring event loop stopped" + (loopFailure?.let { ": $it" } ?: ""))
        if (failure == null) failure = cause.message
        for (listener in ArrayList(listeners)) listener.fail(cause)
        var failed = 0
        for (channel in ArrayList(open)) {
            if (!channel.isRegistered || channel.eventLoop() !== loop) continue
            open.remove(channel)
            channel.pipeline().get(UringStream::class.java)?.abandon(cause)
            runCatching { (channel as? UnixChannel)?.fd()?.close() }
            failed++
        }
        if (failed > 0) log.warn("{}: {} channels on it failed", cause.message, failed)
    }

    /** Tracks [listener] until it closes; fails it at once when the transport failed meanwhile. */
    private fun listening(listener: UringListener) {
        listeners.add(listener)
        failure?.let { listener.fail(IOException(it)) }
    }

    /** Tracks [channel] until it closes. */
    private fun track(channel: Channel) {
        open.add(channel)
        channel.closeFuture().addListener { open.remove(channel) }
    }

    override suspend fun listen(scheme: String, address: String, options: TransportOptions): StreamListener {
        val listener = UringListener(onClose = listeners::remove)
        val bootstrap = ServerBootstrap().group(group)
            .option(ChannelOption.SO_BACKLOG, options.backlog.coerceAtLeast(1))
            .childHandler(object : ChannelInitializer<Channel>() {
                override fun initChannel(ch: Channel) {
                    track(ch)
                    val stream = newStream(scheme, options)
                    stream.remoteAddress = remoteOf(ch, scheme, listener.ipcPath)
                    ch.pipeline().addLast(stream)
                    listener.offer(stream)
                }
            })
        return when (scheme) {
            "tcp" -> {
                val (host, port) = StreamAddresses.tcpBind(address, options.ipv6)
                val bindAddress = resolve(host, port)
                bootstrap.channel(IoUringServerSocketChannel::class.java).option(ChannelOption.SO_REUSEADDR, true)
                // SO_RCVBUF on the listening socket too, as libzmq does: the kernel sizes a connection's window (and
                // its window scale) from the listener's buffer when it answers the SYN. Set only on the accepted
                // socket, a buffer below the loopback MSS left the sender waiting on its persist timer (issue 5).
                if (options.receiveBuffer > 0) bootstrap.option(ChannelOption.SO_RCVBUF, options.receiveBuffer)
                applyTcp(options) { o, v -> bootstrap.childOption(o, v) }
                val server = bootstrap.bind(bindAddress).also { track(it.channel()) }.awaitChannel()
                val local = server.localAddress() as InetSocketAddress
                val shownHost = if (host == "0.0.0.0" || host == "::") host else local.address.hostAddress
                listener.start(server, "tcp://" + StreamAddresses.tcpFormat(shownHost, local.port), null).also(::listening)
            }
            "ipc" -> {
                val path = StreamAddresses.ipcBind(address)
                if (!StreamAddresses.ipcIsAbstract(path)) runCatching { Files.deleteIfExists(Path.of(path)) }
                bootstrap.channel(IoUringServerDomainSocketChannel::class.java)
                applyCommon(options) { o, v -> bootstrap.childOption(o, v) }
                listener.ipcPath = path
                val server = bootstrap.bind(DomainSocketAddress(StreamAddresses.ipcSocketPath(path))).also { track(it.channel()) }.awaitChannel()
                listener.start(server, "ipc://$path", path).also(::listening)
            }
            else -> throw IOException("unsupported scheme $scheme")
        }
    }

    override suspend fun connect(scheme: String, address: String, options: TransportOptions): ByteStream {
        val stream = newStream(scheme, options)
        val bootstrap = Bootstrap().group(group).handler(object : ChannelInitializer<Channel>() {
            override fun initChannel(ch: Channel) {
                track(ch)
                ch.pipeline().addLast(stream)
            }
        })
        if (options.connectTimeoutMillis > 0) bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMillis)
        var ipcPath: String? = null
        val future = when (scheme) {
            "tcp" -> {
                val (host, port) = StreamAddresses.tcpConnect(address)
                val target = resolve(host, port)
                bootstrap.channel(IoUringSocketChannel::class.java)
                applyTcp(options) { o, v -> bootstrap.option(o, v) }
                bootstrap.connect(target)
            }
            "ipc" -> {
                val path = StreamAddresses.ipcConnect(address).also { ipcPath = it }
                bootstrap.channel(IoUringDomainSocketChannel::class.java)
                applyCommon(options) { o, v -> bootstrap.option(o, v) }
                bootstrap.connect(DomainSocketAddress(StreamAddresses.ipcSocketPath(path)))
            }
            else -> throw IOException("unsupported scheme $scheme")
        }
        val channel = future.awaitChannel()
        stream.remoteAddress = remoteOf(channel, scheme, ipcPath)
        return stream
    }

    /**
     * A stream for a new connection of [scheme]: TCP_CORK applies to tcp only, as [applyTcp] sets it; SEND_ZC is asked
     * for on both, and an ipc connection's sender falls back to plain sends (the kernel has none for Unix sockets).
     * A tcp connection to this host does not send zero-copy (see [UringStream]) unless the settings say so.
     */
    private fun newStream(scheme: String, options: TransportOptions): UringStream {
        val tcp = scheme == "tcp"
        val groups = if (options.multishotReceive) ::receiveGroup else null
        return UringStream(
            cork = options.tcpCork && tcp,
            duplicator = duplicator,
            zeroCopyThreshold = options.sendZeroCopyThreshold,
            zeroCopyLoopback = settings.zeroCopyLoopback,
            receiveGroup = groups,
        )
    }

    /** The receive buffer groups made so far (for tests). */
    internal val receiveGroups: Collection<UringBufferGroup> get() = groups.values

    /** Each event loop's receive buffer group, made by its first multishot connection. */
    private val groups = java.util.concurrent.ConcurrentHashMap<EventLoop, UringBufferGroup>()

    /** Event loops whose group could not be made: their multishot sockets read through the channel, without retrying. */
    private val groupless: MutableSet<EventLoop> = java.util.concurrent.ConcurrentHashMap.newKeySet()

    /** [channel]'s event loop's receive buffer group; call on that loop. Null where it cannot be made. */
    private fun receiveGroup(channel: Channel): UringBufferGroup? {
        val loop = channel.eventLoop()
        groups[loop]?.let { return it }
        if (loop in groupless) return null
        val group = UringBufferGroup.open(
            loop as? IoEventLoop ?: return null,
            RECEIVE_GROUP,
            settings.bufferRingSize,
            settings.bufferSize,
            settings.multishotReceives,
        )
        if (group != null) groups[loop] = group else groupless.add(loop)
        return group
    }

    /** Options of every stream channel: the write high-water mark, the read sizes and the receive allocator. */
    private fun applyCommon(options: TransportOptions, set: (ChannelOption<Any>, Any) -> Unit) {
        set(ChannelOption.WRITE_BUFFER_WATER_MARK.any(), WriteBufferWaterMark(WRITE_LOW, WRITE_HIGH))
        // Netty's default guess starts each connection's reads at 2 KiB and grows slowly; starting at 16 KiB (up to
        // 64 KiB) took 64 KiB PUSH/PULL from about 10k to 13-16k msg/s on this machine (3 runs each).
        set(ChannelOption.RCVBUF_ALLOCATOR.any(), AdaptiveRecvByteBufAllocator(READ_MIN, READ_INITIAL, READ_MAX))
        // Receive buffers from the pooled allocator, as the writes' are: Netty's default (adaptive) one pools nothing
        // that large under a small heap, so each 64 KiB receive was a fresh, zeroed ByteBuffer.allocateDirect (about
        // 2 us of the I/O thread per receive; 64 KiB messages, pinned: 1.3-1.4 s less I/O-thread user CPU per 600,000
        // messages and 10-24% more throughput in 3 alternating rounds).
        set(ChannelOption.ALLOCATOR.any(), PooledByteBufAllocator.DEFAULT)
        if (options.sendBuffer > 0) set(ChannelOption.SO_SNDBUF.any(), options.sendBuffer)
        if (options.receiveBuffer > 0) set(ChannelOption.SO_RCVBUF.any(), options.receiveBuffer)
    }

    /** Options of tcp channels: [applyCommon], no Nagle, keepalive, TOS and zero-copy send. */
    private fun applyTcp(options: TransportOptions, set: (ChannelOption<Any>, Any) -> Unit) {
        applyCommon(options, set)
        set(ChannelOption.TCP_NODELAY.any(), true)
        if (options.keepAlive >= 0) set(ChannelOption.SO_KEEPALIVE.any(), options.keepAlive == 1)
        if (options.keepAliveCount > 0) set(IoUringChannelOption.TCP_KEEPCNT.any(), options.keepAliveCount)
        if (options.keepAliveIdle > 0) set(IoUringChannelOption.TCP_KEEPIDLE.any(), options.keepAliveIdle)
        if (options.keepAliveInterval > 0) set(IoUringChannelOption.TCP_KEEPINTVL.any(), options.keepAliveInterval)
        if (options.typeOfService > 0) set(ChannelOption.IP_TOS.any(), options.typeOfService)
        if (options.sendZeroCopyThreshold >= 0) {
            set(IoUringChannelOption.IO_URING_WRITE_ZERO_COPY_THRESHOLD.any(), options.sendZeroCopyThreshold)
        }
    }

    override fun close() {
        closing = true
        // Writes reach the event loop without waiting for the kernel, so a connection's last batch (a LINGER
        // socket's tail) may still be queued here: flush each connection before closing it, all within
        // SHUTDOWN_MILLIS (a peer that stopped reading). Closing at once lost such tails (ZktIoUringTest).
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_MILLIS)
        // ArrayList(set), not toList(): toList reads size() then iterates, which races with channels closing.
        val channels = ArrayList(open)
        for (channel in channels) {
            if (channel is ServerChannel || !channel.isActive) continue
            val left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())
            if (left <= 0) break
            runCatching {
                val stream = channel.pipeline().get(UringStream::class.java)
                (stream?.flushed() ?: channel.writeAndFlush(Unpooled.EMPTY_BUFFER)).awaitUninterruptibly(left)
            }
        }
        channels.forEach { it.close().awaitUninterruptibly(SHUTDOWN_MILLIS) }
        duplicator.close()
        group.shutdownGracefully(0, SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_MILLIS * 5)
    }

    private companion object {
        private val log = LoggerFactory.getLogger(UringTransport::class.java)

        const val WRITE_LOW = 256 shl 10
        const val WRITE_HIGH = 1 shl 20
        const val READ_MIN = 1 shl 10
        const val READ_INITIAL = 16 shl 10
        const val READ_MAX = 64 shl 10
        const val SHUTDOWN_MILLIS = 1_000L

        /** The id of each loop's receive buffer group (the loops' rings have no other group). */
        const val RECEIVE_GROUP: Short = 1

        @Suppress("UNCHECKED_CAST")
        fun <T> ChannelOption<T>.any(): ChannelOption<Any> = this as ChannelOption<Any>

        /** Resolves [host] off the event loop (a lookup may block); an unknown host is an [IOException]. */
        suspend fun resolve(host: String, port: Int): InetSocketAddress = withContext(Dispatchers.IO) {
            val address = InetSocketAddress(host, port)
            if (address.isUnresolved) throw UnknownHostException("unknown host $host")
            address
        }

        fun remoteOf(channel: Channel, scheme: String, ipcPath: String?): String =
            if (scheme == "ipc") {
                "ipc://${ipcPath ?: ""}"
            } else {
                val remote = channel.remoteAddress() as? InetSocketAddress
                if (remote == null) "tcp://unknown" else "tcp://" + StreamAddresses.tcpFormat(remote.address.hostAddress, remote.port)
            }

        /**
         * Waits for [this] future; cancelling the wait closes its channel. A failure is an [IOException]. A future
         * already done is taken as it is: one whose event loop has stopped fails at once (registration refused) and
         * could never notify a listener, which runs on that loop. For the same reason the wait also ends, failed,
         * when the channel's loop stops first: a loop that dies with the channel's registration queued never runs
         * it, and the future never completes (a reconnect that raced the loop's death waited on it forever).
         */
        suspend fun ChannelFuture.awaitChannel(): Channel = suspendCancellableCoroutine { cont ->
            val settled = AtomicBoolean()
            val done = { f: ChannelFuture ->
                if (settled.compareAndSet(false, true)) {
                    if (f.isSuccess) {
                        cont.resume(channel()) { _, ch, _ -> ch.close() }
                    } else {
                        val cause = f.cause()
                        channel().close()
                        cont.resumeWithException(cause as? IOException ?: IOException(cause?.message ?: "failed", cause))
                    }
                }
            }
            if (isDone) {
                done(this)
                return@suspendCancellableCoroutine
            }
            // Notified on Netty's global executor, not on the loop; the loop is set once registration began.
            @Suppress("UNCHECKED_CAST")
            val termination = runCatching { channel().eventLoop().terminationFuture() }.getOrNull() as NettyFuture<Any?>?
            val onStop = GenericFutureListener<NettyFuture<Any?>> {
                if (settled.compareAndSet(false, true)) {
                    // Nothing runs on the loop any more: close the channel's descriptor here.
                    runCatching { channel().unsafe().closeForcibly() }
                    cont.resumeWithException(IOException("the io_uring event loop stopped"))
                }
            }
            termination?.addListener(onStop)
            addListener {
                // Removed again: a loop's termination future would otherwise keep every channel it ever waited for.
                termination?.removeListener(onStop)
                done(this)
            }
            cont.invokeOnCancellation {
                termination?.removeListener(onStop)
                channel().close()
            }
        }
    }
}
