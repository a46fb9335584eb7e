package io.zerokt.engine.internal.connection

import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import java.io.IOException
import java.net.BindException
import java.nio.channels.UnresolvedAddressException
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.coroutineContext

/**
 * Binds and connects `tcp://` and `ipc://` endpoints over a [StreamTransport]: an accept loop per bind, a
 * reconnect loop per connect (RECONNECT_IVL, doubling up to RECONNECT_IVL_MAX), and a [StreamConnection] per
 * connection.
 */
@OptIn(ZeroKtInternalApi::class)
internal class StreamBinder(private val transportFor: (RealSocket) -> StreamTransport) : Binder {
    override suspend fun bind(socket: RealSocket, endpoint: Endpoint): EndpointHandle {
        val listener = try {
            transportFor(socket).listen(endpoint.scheme, endpoint.address, socket.transportOptions())
        } catch (e: ZmqException) {
            throw e
        } catch (e: BindException) {
            throw ZmqException(ZmqError.EADDRINUSE, "cannot bind $endpoint: ${e.message}", e)
        } catch (e: UnresolvedAddressException) {
            throw ZmqException(ZmqError.EADDRNOTAVAIL, "cannot bind $endpoint: unknown host", e)
        } catch (e: IOException) {
            val code = if (e.message?.contains("in use", ignoreCase = true) == true) ZmqError.EADDRINUSE else ZmqError.EADDRNOTAVAIL
            throw ZmqException(code, "cannot bind $endpoint: ${e.message}", e)
        }
        val connections = Job(socket.job)
        val connectionScope = CoroutineScope(socket.scope.coroutineContext + connections)
        val acceptor = socket.scope.launch {
            while (isActive) {
                val stream = try {
                    listener.accept()
                } catch (e: CancellationException) {
                    throw e
                } catch (e: Exception) {
                    if (!isActive || socket.isClosed) break
                    socket.emit(MonitorEvent(MonitorEventType.ACCEPT_FAILED, listener.endpoint, reason = e.message))
                    delay(10)
                    continue
                }
                socket.emit(MonitorEvent(MonitorEventType.ACCEPTED, listener.endpoint, remoteAddress = stream.remoteAddress))
                // ATOMIC: the connection starts (and so closes its stream) even when the socket is closing meanwhile.
                connectionScope.launch(stream.dispatcher ?: EmptyCoroutineContext, start = CoroutineStart.ATOMIC) {
                    StreamConnection(socket, stream, listener.endpoint, null, null).run()
                }
            }
        }
        return object : EndpointHandle {
            override val requested = endpoint.text
            override val resolved = listener.endpoint
            override val isBind = true

            override fun stopAccepting() {
                acceptor.cancel()
                listener.close()
                socket.emit(MonitorEvent(MonitorEventType.CLOSED, listener.endpoint))
            }

            override fun close() {
                stopAccepting()
                connections.cancel()
            }
        }
    }

    override suspend fun connect(socket: RealSocket, endpoint: Endpoint): EndpointHandle {
        if (endpoint.scheme == "tcp") io.zerokt.engine.internal.transport.TcpAddress.parseConnect(endpoint.address)
        val transport = transportFor(socket)
        val o = socket.options
        val routingId = o.connectRoutingId
        o.connectRoutingId = null
        val persistent = if (socket.attachesOnHandshake) {
            null
        } else {
            Peer.forStream(socket, endpoint.text, isConnectSide = true).also {
                it.owner = socket
                socket.attach(it)
            }
        }
        val loop = socket.scope.launch { reconnectLoop(socket, transport, endpoint, persistent, routingId ?: ByteArray(0)) }
        return object : EndpointHandle {
            override val requested = endpoint.text
            override val resolved = endpoint.text
            override val isBind = false

            override fun stopAccepting() = Unit

            override fun close() {
                loop.cancel()
                persistent?.let { socket.detach(it) }
            }
        }
    }

    private suspend fun reconnectLoop(socket: RealSocket, transport: StreamTransport, endpoint: Endpoint, persistent: Peer?, routingId: ByteArray) {
        val o = socket.options
        var interval = o.reconnectIvl
        while (coroutineContext.isActive) {
            val stream = try {
                transport.connect(endpoint.scheme, endpoint.address, socket.transportOptions())
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                socket.emit(MonitorEvent(MonitorEventType.CONNECT_DELAYED, endpoint.text, reason = e.message ?: e.javaClass.simpleName))
                if (o.reconnectIvl < 0 || socket.isClosed && nothingToDeliver(socket, persistent)) return
                socket.emit(MonitorEvent(MonitorEventType.CONNECT_RETRIED, endpoint.text, interval.toLong()))
                delay(interval.toLong().coerceAtLeast(1))
                interval = nextInterval(interval, o.reconnectIvl, o.reconnectIvlMax)
                continue
            }
            socket.emit(MonitorEvent(MonitorEventType.CONNECTED, endpoint.text, remoteAddress = stream.remoteAddress))
            // On the stream's own I/O thread when it has one; ATOMIC: the connection starts (and so closes its
            // stream) even when the socket is closing meanwhile.
            val handshaken = try {
                coroutineScope {
                    async(stream.dispatcher ?: EmptyCoroutineContext, start = CoroutineStart.ATOMIC) {
                        StreamConnection(socket, stream, endpoint.text, persistent, routingId).run()
                    }.await()
                }
            } catch (e: CancellationException) {
                // Cancelled while this loop is not: the stream's dispatcher refused the connection's work (its I/O
                // thread stopped, which cancels what it refuses). The connection is gone: try again, as for a drop.
                coroutineContext.ensureActive()
                false
            }
            if (handshaken) interval = o.reconnectIvl
            if (o.reconnectIvl < 0 || socket.isClosed && nothingToDeliver(socket, persistent)) return
            socket.emit(MonitorEvent(MonitorEventType.CONNECT_RETRIED, endpoint.text, interval.toLong()))
            delay(interval.toLong().coerceAtLeast(1))
            if (!handshaken) interval = nextInterval(interval, o.reconnectIvl, o.reconnectIvlMax)
        }
    }

    /** After close, a connect keeps trying (within LINGER) only while its peer still has messages queued. */
    private fun nothingToDeliver(socket: RealSocket, persistent: Peer?): Boolean =
        persistent == null || persistent.out.isClosedForReceive || socket.peers.none { it === persistent }

    private fun nextInterval(current: Int, base: Int, max: Int): Int =
        if (max > base) minOf(current.toLong() * 2, max.toLong()).toInt() else base
}

/** The transport-level options of this socket. */
@OptIn(ZeroKtInternalApi::class)
internal fun RealSocket.transportOptions(): TransportOptions {
    val o = options
    return TransportOptions(
        sendBuffer = o.sendBuffer,
        receiveBuffer = o.receiveBuffer,
        backlog = o.backlog,
        typeOfService = o.tos,
        keepAlive = o.tcpKeepalive,
        keepAliveCount = o.tcpKeepaliveCnt,
        keepAliveIdle = o.tcpKeepaliveIdle,
        keepAliveInterval = o.tcpKeepaliveIntvl,
        connectTimeoutMillis = o.connectTimeout,
        ipv6 = o.ipv6,
        tcpCork = o.ioUringTcpCork,
        sendZeroCopyThreshold = o.ioUringSendZcThreshold,
        multishotReceive = o.ioUringMultishot,
    )
}
