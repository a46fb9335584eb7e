package io.zerokt.engine.internal.transport

import io.ktor.network.selector.SelectInterest
import io.ktor.network.selector.Selectable
import io.ktor.network.selector.SelectorManager
import io.ktor.network.sockets.InetSocketAddress
import io.ktor.network.sockets.ServerSocket
import io.ktor.network.sockets.Socket
import io.ktor.network.sockets.UnixSocketAddress
import io.ktor.network.sockets.aSocket
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.StreamListener
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withTimeout
import java.io.IOException
import java.net.ConnectException
import java.net.SocketOption
import java.net.StandardSocketOptions
import java.nio.ByteBuffer
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel
import java.nio.file.Files
import java.nio.file.Path
import jdk.net.ExtendedSocketOptions

/**
 * The default stream transport: `tcp://` and `ipc://` (Unix domain sockets) on Ktor's NIO sockets, and Linux
 * abstract names (`ipc://@name`) through [AbstractIpcTransport].
 *
 * One [SelectorManager] per context; it runs its selector loop on [Dispatchers.IO] and is closed with the context.
 */
@OptIn(ZeroKtInternalApi::class)
internal class KtorTransport : StreamTransport {
    private val selector = SelectorManager(Dispatchers.IO)
    private val abstractIpc = AbstractIpcTransport()

    override val schemes: Set<String> = setOf("tcp", "ipc")

    override suspend fun listen(scheme: String, address: String, options: TransportOptions): StreamListener =
        when (scheme) {
            "tcp" -> {
                val (host, port) = TcpAddress.parseBind(address, options.ipv6)
                val server = aSocket(selector).tcp().bind(host, port) {
                    backlogSize = options.backlog.coerceAtLeast(1)
                    reuseAddress = true
                }
                // SO_RCVBUF on the listening socket too, as libzmq does: the kernel sizes a connection's window (and its
                // window scale) from the listener's buffer when it answers the SYN. Set only on the accepted socket, a
                // buffer below the loopback MSS left the sender waiting on its persist timer (issue 5). Ktor's bind
                // takes no buffer size, so it is set just after the bind, before the endpoint is reported.
                if (options.receiveBuffer > 0) {
                    val channel = (server as Selectable).channel as ServerSocketChannel
                    runCatching { channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBuffer) }
                }
                val local = server.localAddress as InetSocketAddress
                // Report the address as bound (libzmq: tcp://0.0.0.0:port for "*"), never a reverse-resolved name.
                val shownHost = if (host == "0.0.0.0" || host == "::") host else addressText(local) ?: host
                KtorListener(server, "tcp://" + TcpAddress.format(shownHost, local.port), null, options, selector)
            }
            "ipc" -> {
                val path = IpcAddress.resolveBind(address)
                if (IpcAddress.isAbstract(path)) return abstractIpc.listen(path.substring(1), options)
                // As libzmq does: a file left behind by an earlier run would make the bind fail.
                runCatching { Files.deleteIfExists(Path.of(path)) }
                val server = aSocket(selector).tcp().bind(UnixSocketAddress(path)) {
                    backlogSize = options.backlog.coerceAtLeast(1)
                }
                KtorListener(server, "ipc://$path", path, options, selector)
            }
            else -> throw IOException("unsupported scheme $scheme")
        }

    override suspend fun connect(scheme: String, address: String, options: TransportOptions): ByteStream =
        when (scheme) {
            "tcp" -> {
                val (host, port) = TcpAddress.parseConnect(address)
                val connect: suspend () -> Socket = {
                    aSocket(selector).tcp().connect(host, port) {
                        noDelay = true
                        if (options.keepAlive == 1) keepAlive = true
                        if (options.keepAlive == 0) keepAlive = false
                        applyBuffers(options)
                    }
                }
                val socket = if (options.connectTimeoutMillis > 0) {
                    try {
                        withTimeout(options.connectTimeoutMillis.toLong()) { connect() }
                    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
                        throw ConnectException("connect to $address timed out after ${options.connectTimeoutMillis} ms")
                    }
                } else {
                    connect()
                }
                val nio = (socket as Selectable).channel as SocketChannel
                if (nio.localAddress == nio.remoteAddress) {
                    // TCP simultaneous open: a connect to a free port of the ephemeral range on this host can be
                    // given that very port and meet itself, holding the port its real peer wants to bind.
                    socket.close()
                    throw ConnectException("connect to $address met itself (TCP self-connect); will retry")
                }
                KtorStream(socket, "tcp://" + remoteOf(socket), selector).also { it.tune(options) }
            }
            "ipc" -> {
                val path = IpcAddress.resolveConnect(address)
                if (IpcAddress.isAbstract(path)) return abstractIpc.connect(path.substring(1), options)
                val socket = aSocket(selector).tcp().connect(UnixSocketAddress(path))
                KtorStream(socket, "ipc://$path", selector)
            }
            else -> throw IOException("unsupported scheme $scheme")
        }

    override fun close() {
        selector.close()
        abstractIpc.close()
    }

    private class KtorListener(
        private val server: ServerSocket,
        override val endpoint: String,
        private val ipcPath: String?,
        private val options: TransportOptions,
        private val selector: SelectorManager,
    ) : StreamListener {
        override suspend fun accept(): ByteStream {
            val socket = server.accept()
            if (ipcPath != null) return KtorStream(socket, "ipc://$ipcPath", selector)
            return KtorStream(socket, "tcp://" + remoteOf(socket), selector).also { it.tune(options) }
        }

        private val closed = java.util.concurrent.atomic.AtomicBoolean()

        override fun close() {
            // Once only: a second close (the socket's linger end) must not delete a file a new bind made since.
            if (!closed.compareAndSet(false, true)) return
            // Ktor's close finishes later, on its selector; close the channel now, so the address is free again as
            // soon as the JDK lets go of it (for a channel registered with a selector: at the selector's next cycle).
            val selectable = server as Selectable
            runCatching { selectable.channel.close() }
            selector.notifyClosed(selectable)
            server.close()
            if (ipcPath != null) runCatching { Files.deleteIfExists(Path.of(ipcPath)) }
        }
    }

    /**
     * A connection as a [ByteStream]: non-blocking reads and writes straight on the NIO channel, waiting on Ktor's
     * selector only when the kernel has nothing to read or no room to write. Ktor's own byte channels are not used:
     * they add a coroutine and a copy in each direction, which is what a small message pays for most.
     */
    internal class KtorStream(
        private val socket: Socket,
        override val remoteAddress: String,
        private val selector: SelectorManager,
    ) : ByteStream {
        private val selectable = socket as Selectable
        private val channel = selectable.channel as SocketChannel
        private var readWrapper: ByteBuffer = EMPTY
        private var writeWrapper: ByteBuffer = EMPTY

        /** The TCP socket underneath, for the options Ktor does not expose (null for ipc). */
        private val tcpChannel: SocketChannel? = channel.takeIf { it.localAddress is java.net.InetSocketAddress }

        override suspend fun read(destination: ByteArray, offset: Int, length: Int): Int {
            val buffer = wrap(readWrapper, destination, offset, length).also { readWrapper = it }
            while (true) {
                val n = channel.read(buffer)
                if (n != 0) return n
                await(SelectInterest.READ)
            }
        }

        override suspend fun write(source: ByteArray, offset: Int, length: Int) {
            val buffer = wrap(writeWrapper, source, offset, length).also { writeWrapper = it }
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) await(SelectInterest.WRITE)
            }
        }

        /** Suspends until the selector reports [interest] (Ktor's protocol: announce the interest, then select). */
        private suspend fun await(interest: SelectInterest) {
            selectable.interestOp(interest, true)
            try {
                selector.select(selectable, interest)
            } finally {
                selectable.interestOp(interest, false)
            }
        }

        override fun close() {
            runCatching { channel.close() }
            selector.notifyClosed(selectable) // wakes a read or write waiting on the selector with an exception
            socket.close()
        }

        /** The value of the kernel socket option [option], as set (for tests and diagnostics). */
        fun <T> option(option: SocketOption<T>): T? = tcpChannel?.getOption(option)

        /**
         * Applies what Ktor's options do not reach, on both connected and accepted sockets: TCP_NODELAY, the
         * keepalive family (as libzmq, idle/count/interval only when TCP_KEEPALIVE is 1; a kernel that lacks one
         * keeps its default) and, for accepted sockets, SO_SNDBUF/SO_RCVBUF/IP_TOS.
         */
        fun tune(options: TransportOptions) {
            val channel = tcpChannel ?: return
            runCatching { channel.setOption(StandardSocketOptions.TCP_NODELAY, true) }
            if (options.sendBuffer > 0) runCatching { channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBuffer) }
            if (options.receiveBuffer > 0) runCatching { channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBuffer) }
            if (options.typeOfService > 0) runCatching { channel.setOption(StandardSocketOptions.IP_TOS, options.typeOfService) }
            if (options.keepAlive == -1) return
            runCatching { channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepAlive == 1) }
            if (options.keepAlive != 1) return
            val supported = channel.supportedOptions()
            fun set(option: SocketOption<Int>, value: Int) {
                if (value > 0 && option in supported) runCatching { channel.setOption(option, value) }
            }
            set(ExtendedSocketOptions.TCP_KEEPIDLE, options.keepAliveIdle)
            set(ExtendedSocketOptions.TCP_KEEPINTERVAL, options.keepAliveInterval)
            set(ExtendedSocketOptions.TCP_KEEPCOUNT, options.keepAliveCount)
        }
    }

    private companion object {
        val EMPTY: ByteBuffer = ByteBuffer.allocate(0)

        /** [cached] re-aimed at [array] (no allocation when the caller keeps passing the same array), or a new wrapper. */
        fun wrap(cached: ByteBuffer, array: ByteArray, offset: Int, length: Int): ByteBuffer {
            if (cached.array() !== array) return ByteBuffer.wrap(array, offset, length)
            cached.limit(offset + length).position(offset)
            return cached
        }

        fun remoteOf(socket: Socket): String {
            val remote = socket.remoteAddress
            return if (remote is InetSocketAddress) TcpAddress.format(addressText(remote) ?: remote.hostname, remote.port) else remote.toString()
        }

        /** The numeric address (`127.0.0.1`, `::1`), without a reverse lookup. */
        fun addressText(address: InetSocketAddress): String? =
            address.resolveAddress()?.let { java.net.InetAddress.getByAddress(it).hostAddress }

        fun io.ktor.network.sockets.SocketOptions.TCPClientSocketOptions.applyBuffers(options: TransportOptions) {
            if (options.sendBuffer > 0) sendBufferSize = options.sendBuffer
            if (options.receiveBuffer > 0) receiveBufferSize = options.receiveBuffer
            if (options.typeOfService > 0) typeOfService = io.ktor.network.sockets.TypeOfService(options.typeOfService.toUByte())
        }
    }
}
