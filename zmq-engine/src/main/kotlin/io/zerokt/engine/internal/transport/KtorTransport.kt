package io.zerokt.engine.internal.transport

import io.ktor.network.selector.SelectorManager
import io.ktor.network.sockets.InetSocketAddress
import io.ktor.network.sockets.ServerSocket
import io.ktor.network.sockets.Socket
import io.ktor.network.sockets.UnixSocketAddress
import io.ktor.network.sockets.aSocket
import io.ktor.network.sockets.openReadChannel
import io.ktor.network.sockets.openWriteChannel
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.ByteWriteChannel
import io.ktor.utils.io.readAvailable
import io.ktor.utils.io.writeFully
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.StreamListener
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withTimeout
import java.io.IOException
import java.net.ConnectException
import java.nio.file.Files
import java.nio.file.Path

/**
 * The default stream transport: `tcp://` and `ipc://` (Unix domain sockets) on Ktor's NIO sockets.
 *
 * One [SelectorManager] per context; it runs its selector loop on [Dispatchers.IO] and is closed with the context.
 */
@OptIn(ZeroKtInternalApi::class)
internal class KtorTransport : StreamTransport {
    private val selector = SelectorManager(Dispatchers.IO)

    override val schemes: Set<String> = setOf("tcp", "ipc")

    override suspend fun listen(scheme: String, address: String, options: TransportOptions): StreamListener =
        when (scheme) {
            "tcp" -> {
                val (host, port) = TcpAddress.parseBind(address, options.ipv6)
                val server = aSocket(selector).tcp().bind(host, port) {
                    backlogSize = options.backlog.coerceAtLeast(1)
                    reuseAddress = true
                }
                val local = server.localAddress as InetSocketAddress
                // Report the address as bound (libzmq: tcp://0.0.0.0:port for "*"), never a reverse-resolved name.
                val shownHost = if (host == "0.0.0.0" || host == "::") host else addressText(local) ?: host
                KtorListener(server, "tcp://" + TcpAddress.format(shownHost, local.port), null, options)
            }
            "ipc" -> {
                val path = IpcAddress.resolveBind(address)
                // As libzmq does: a file left behind by an earlier run would make the bind fail.
                runCatching { Files.deleteIfExists(Path.of(path)) }
                val server = aSocket(selector).tcp().bind(UnixSocketAddress(path)) {
                    backlogSize = options.backlog.coerceAtLeast(1)
                }
                KtorListener(server, "ipc://$path", path, options)
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
                KtorStream(socket, "tcp://" + remoteOf(socket))
            }
            "ipc" -> {
                val path = IpcAddress.resolveConnect(address)
                val socket = aSocket(selector).tcp().connect(UnixSocketAddress(path))
                KtorStream(socket, "ipc://$path")
            }
            else -> throw IOException("unsupported scheme $scheme")
        }

    override fun close() {
        selector.close()
    }

    private class KtorListener(
        private val server: ServerSocket,
        override val endpoint: String,
        private val ipcPath: String?,
        private val options: TransportOptions,
    ) : StreamListener {
        override suspend fun accept(): ByteStream {
            val socket = server.accept()
            val remote = if (ipcPath != null) "ipc://$ipcPath" else "tcp://" + remoteOf(socket)
            return KtorStream(socket, remote)
        }

        private val closed = java.util.concurrent.atomic.AtomicBoolean()

        override fun close() {
            // Once only: a second close (the socket's linger end) must not delete a file a new bind made since.
            if (!closed.compareAndSet(false, true)) return
            server.close()
            if (ipcPath != null) runCatching { Files.deleteIfExists(Path.of(ipcPath)) }
        }
    }

    private class KtorStream(private val socket: Socket, override val remoteAddress: String) : ByteStream {
        private val input: ByteReadChannel = socket.openReadChannel()
        private val output: ByteWriteChannel = socket.openWriteChannel(autoFlush = false)

        override suspend fun read(destination: ByteArray, offset: Int, length: Int): Int =
            input.readAvailable(destination, offset, length)

        override suspend fun write(source: ByteArray, offset: Int, length: Int) {
            output.writeFully(source, offset, offset + length)
            output.flush()
        }

        override fun close() {
            socket.close()
        }
    }

    private companion object {
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
