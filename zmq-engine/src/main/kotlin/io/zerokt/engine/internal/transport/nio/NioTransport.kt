package io.zerokt.engine.internal.transport.nio

import io.zerokt.engine.internal.transport.AbstractIpcTransport
import io.zerokt.engine.internal.transport.IpcAddress
import io.zerokt.engine.internal.transport.TcpAddress
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.StreamListener
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.io.IOException
import java.net.ConnectException
import java.net.InetSocketAddress
import java.net.StandardProtocolFamily
import java.net.StandardSocketOptions
import java.net.UnixDomainSocketAddress
import java.net.UnknownHostException
import java.nio.channels.SelectionKey
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

/**
 * The default stream transport: `tcp://` and `ipc://` (Unix domain sockets) on plain NIO channels served by
 * [ioThreads] [IoLoop]s, each a thread with its own selector on which its connections' drivers also run; Linux
 * abstract names (`ipc://@name`) go through [AbstractIpcTransport]. Connections are spread over the loops in turn.
 */
@OptIn(ZeroKtInternalApi::class)
internal class NioTransport(ioThreads: Int) : StreamTransport {
    private val loops = Array(ioThreads.coerceAtLeast(1)) { IoLoop("zkt-io-${instances.incrementAndGet()}") }
    private val nextLoop = AtomicInteger()
    private val abstractIpc = AbstractIpcTransport()

    override val schemes: Set<String> = setOf("tcp", "ipc")

    private fun loop(): IoLoop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.size)]

    override suspend fun listen(scheme: String, address: String, options: TransportOptions): StreamListener =
        when (scheme) {
            "tcp" -> {
                val (host, port) = TcpAddress.parseBind(address, options.ipv6)
                val server = ServerSocketChannel.open()
                try {
                    server.setOption(StandardSocketOptions.SO_REUSEADDR, true)
                    // SO_RCVBUF on the listening socket, as libzmq does: the kernel sizes a connection's window (and
                    // its window scale) from the listener's buffer when it answers the SYN. Set only on the accepted
                    // socket, a buffer below the loopback MSS left the sender waiting on its persist timer (issue 5).
                    if (options.receiveBuffer > 0) runCatching { server.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBuffer) }
                    server.bind(InetSocketAddress(host, port), options.backlog.coerceAtLeast(1))
                } catch (e: Throwable) {
                    server.close()
                    throw e
                }
                val local = server.localAddress as InetSocketAddress
                // Report the address as bound (libzmq: tcp://0.0.0.0:port for "*"), never a reverse-resolved name.
                val shownHost = if (host == "0.0.0.0" || host == "::") host else local.address.hostAddress
                NioListener(server, "tcp://" + TcpAddress.format(shownHost, local.port), null, options)
            }
            "ipc" -> {
                val path = IpcAddress.resolveBind(address)
                if (IpcAddress.isAbstract(path)) return abstractIpc.listen(path.substring(1), options)
                // As libzmq does: a file left behind by an earlier run would make the bind fail.
                runCatching { Files.deleteIfExists(Path.of(path)) }
                val server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                try {
                    server.bind(UnixDomainSocketAddress.of(path), options.backlog.coerceAtLeast(1))
                } catch (e: Throwable) {
                    server.close()
                    throw e
                }
                NioListener(server, "ipc://$path", path, options)
            }
            else -> throw IOException("unsupported scheme $scheme")
        }

    override suspend fun connect(scheme: String, address: String, options: TransportOptions): ByteStream =
        when (scheme) {
            "tcp" -> {
                val (host, port) = TcpAddress.parseConnect(address)
                val target = withContext(Dispatchers.IO) { InetSocketAddress(host, port) }
                if (target.isUnresolved) throw UnknownHostException("unknown host $host")
                val channel = SocketChannel.open()
                val loop = loop()
                val stream = try {
                    // SO_RCVBUF before connecting (the window scale is agreed in the handshake); tune() sets the rest.
                    if (options.receiveBuffer > 0) channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBuffer)
                    val registration = loop.register(channel)
                    connectWithin(channel, registration, target, options.connectTimeoutMillis, address)
                    if (channel.localAddress == channel.remoteAddress) {
                        // TCP simultaneous open: a connect to a free port of the ephemeral range on this host can be
                        // given that very port and meet itself, holding the port its real peer wants to bind.
                        throw ConnectException("connect to $address met itself (TCP self-connect); will retry")
                    }
                    NioStream(channel, registration, "tcp://" + remoteOf(channel))
                } catch (e: Throwable) {
                    closeRegistered(channel, loop)
                    throw e
                }
                stream.also { it.tune(options) }
            }
            "ipc" -> {
                val path = IpcAddress.resolveConnect(address)
                if (IpcAddress.isAbstract(path)) return abstractIpc.connect(path.substring(1), options)
                val channel = SocketChannel.open(StandardProtocolFamily.UNIX)
                val loop = loop()
                try {
                    val registration = loop.register(channel)
                    connectWithin(channel, registration, UnixDomainSocketAddress.of(path), options.connectTimeoutMillis, address)
                    NioStream(channel, registration, "ipc://$path")
                } catch (e: Throwable) {
                    closeRegistered(channel, loop)
                    throw e
                }
            }
            else -> throw IOException("unsupported scheme $scheme")
        }

    /** Connects [channel] (registered, non-blocking) without blocking a thread, within [timeoutMillis] when positive. */
    private suspend fun connectWithin(
        channel: SocketChannel,
        registration: IoLoop.Registration,
        target: java.net.SocketAddress,
        timeoutMillis: Int,
        address: String,
    ) {
        if (channel.connect(target)) return
        val finish: suspend () -> Unit = {
            while (!channel.finishConnect()) registration.await(SelectionKey.OP_CONNECT)
        }
        if (timeoutMillis <= 0) return finish()
        try {
            withTimeout(timeoutMillis.toLong()) { finish() }
        } catch (e: TimeoutCancellationException) {
            throw ConnectException("connect to $address timed out after $timeoutMillis ms")
        }
    }

    /**
     * Closes a channel registered with [loop] and wakes the loop: the JDK frees a registered channel's descriptor
     * only at its selector's next select, and an idle loop might not select again for a long time.
     */
    private fun closeRegistered(channel: SocketChannel, loop: IoLoop) {
        runCatching { channel.close() }
        loop.wakeup()
    }

    override fun close() {
        loops.forEach { it.close(CLOSE_MILLIS) }
        abstractIpc.close()
    }

    private inner class NioListener(
        private val server: ServerSocketChannel,
        override val endpoint: String,
        private val ipcPath: String?,
        private val options: TransportOptions,
    ) : StreamListener {
        private val registration = loops[0].register(server)
        private val closed = AtomicBoolean()

        override suspend fun accept(): ByteStream {
            while (true) {
                val channel = server.accept()
                if (channel == null) {
                    registration.await(SelectionKey.OP_ACCEPT)
                    continue
                }
                val loop = loop()
                try {
                    val registration = loop.register(channel)
                    if (ipcPath != null) return NioStream(channel, registration, "ipc://$ipcPath")
                    return NioStream(channel, registration, "tcp://" + remoteOf(channel)).also { it.tune(options) }
                } catch (e: Throwable) {
                    closeRegistered(channel, loop)
                    throw e
                }
            }
        }

        override fun close() {
            // Once only: a second close (the socket's linger end) must not delete a file a new bind made since.
            if (!closed.compareAndSet(false, true)) return
            runCatching { server.close() }
            // Wake the acceptor, and let the selector release the descriptor now, so the address is free again.
            registration.fireAll()
            loops[0].wakeup()
            if (ipcPath != null) runCatching { Files.deleteIfExists(Path.of(ipcPath)) }
        }
    }

    private companion object {
        const val CLOSE_MILLIS = 1_000L
        val instances = AtomicInteger()

        fun remoteOf(channel: SocketChannel): String {
            val remote = channel.remoteAddress as InetSocketAddress
            return TcpAddress.format(remote.address.hostAddress, remote.port)
        }
    }
}
