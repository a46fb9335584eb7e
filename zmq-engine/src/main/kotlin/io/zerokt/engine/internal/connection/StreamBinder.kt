package io.zerokt.engine.internal.connection

import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.spi.StreamListener
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import java.io.IOException
import java.net.BindException
import java.nio.channels.UnresolvedAddressException
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.coroutineContext

/**
 * Binds and connects `tcp://` and `ipc://` endpoints over a [StreamTransport]: an accept loop per bind, a
 * reconnect loop per connect (RECONNECT_IVL, doubling up to RECONNECT_IVL_MAX), and a [StreamConnection] per
 * connection. Each connect attempt asks [transportFor] again, and a listener whose transport [failed]
 * [StreamTransport.failure] listens again through it, so that sockets leave an io_uring engine that stopped working.
 */
@OptIn(ZeroKtInternalApi::class)
internal class StreamBinder(private val transportFor: (RealSocket) -> StreamTransport) : Binder {
    override suspend fun bind(socket: RealSocket, endpoint: Endpoint): EndpointHandle {
        val transport = transportFor(socket)
        val first = Bound(transport, listen(socket, transport, endpoint.scheme, endpoint.address, endpoint.text))
        val resolvedEndpoint = first.listener.endpoint
        val current = AtomicReference(first)
        val stopped = AtomicBoolean()
        // A supervisor: a connection that fails with an error (not an exception: an OutOfMemoryError from a hostile
        // frame size, say) ends alone. Under a plain Job it cancelled the bind's other connections, and every later
        // one was cancelled as it started (seen when an io_uring loop thread died inside a connection's coroutine).
        val connections = SupervisorJob(socket.job)
        val connectionScope = CoroutineScope(socket.scope.coroutineContext + connections)
        val acceptor = socket.scope.launch {
            while (isActive) {
                val bound = current.get()
                val stream = try {
                    bound.listener.accept()
                } catch (e: CancellationException) {
                    throw e
                } catch (e: Exception) {
                    if (!isActive || socket.isClosed) break
                    socket.emit(MonitorEvent(MonitorEventType.ACCEPT_FAILED, resolvedEndpoint, reason = e.message))
                    if (bound.transport.failure == null) {
                        delay(10)
                        continue
                    }
                    // The listener's transport stopped working (an I/O thread died): listen again on the same
                    // address through the transport the socket gets now, the default one.
                    bound.listener.close()
                    val fresh = rebind(socket, endpoint.scheme, resolvedEndpoint) ?: break
                    current.set(fresh)
                    if (stopped.get()) fresh.listener.close()
                    continue
                }
                socket.emit(MonitorEvent(MonitorEventType.ACCEPTED, resolvedEndpoint, remoteAddress = stream.remoteAddress))
                // ATOMIC: the connection starts (and so closes its stream) even when the socket is closing meanwhile.
                connectionScope.launch(stream.dispatcher ?: EmptyCoroutineContext, start = CoroutineStart.ATOMIC) {
                    StreamConnection(socket, stream, resolvedEndpoint, null, null).run()
                }
            }
        }
        return object : EndpointHandle {
            override val requested = endpoint.text
            override val resolved = resolvedEndpoint
            override val isBind = true

            override fun stopAccepting() {
                stopped.set(true)
                acceptor.cancel()
                current.get().listener.close()
                socket.emit(MonitorEvent(MonitorEventType.CLOSED, resolvedEndpoint))
            }

            override fun close() {
                stopAccepting()
                connections.cancel()
            }
        }
    }

    /** Listens on [address] through [transport]; a failure is a [ZmqException] naming [shown]. */
    private suspend fun listen(socket: RealSocket, transport: StreamTransport, scheme: String, address: String, shown: String): StreamListener =
        try {
            transport.listen(scheme, address, socket.transportOptions())
        } catch (e: ZmqException) {
            throw e
        } catch (e: BindException) {
            throw ZmqException(ZmqError.EADDRINUSE, "cannot bind $shown: ${e.message}", e)
        } catch (e: UnresolvedAddressException) {
            throw ZmqException(ZmqError.EADDRNOTAVAIL, "cannot bind $shown: unknown host", e)
        } catch (e: IOException) {
            val code = if (e.message?.contains("in use", ignoreCase = true) == true) ZmqError.EADDRINUSE else ZmqError.EADDRNOTAVAIL
            throw ZmqException(code, "cannot bind $shown: ${e.message}", e)
        }

    /**
     * Listens on [resolved] (a bound endpoint whose transport failed) again, through the transport [socket] gets now,
     * until that works (LISTENING); each failure is a BIND_FAILED and the next try comes [REBIND_MILLIS] later, then
     * twice as late each time up to [REBIND_MAX_MILLIS]. Null once the socket closed.
     */
    private suspend fun rebind(socket: RealSocket, scheme: String, resolved: String): Bound? {
        var wait = REBIND_MILLIS
        while (coroutineContext.isActive && !socket.isClosed) {
            try {
                val transport = transportFor(socket)
                val listener = listen(socket, transport, scheme, resolved.substringAfter("://"), resolved)
                socket.emit(MonitorEvent(MonitorEventType.LISTENING, listener.endpoint))
                return Bound(transport, listener)
            } catch (e: ZmqException) {
                if (e.error == ZmqError.ETERM) return null
                socket.emit(MonitorEvent(MonitorEventType.BIND_FAILED, resolved, e.errorCode.toLong(), reason = e.message))
                delay(wait)
                wait = minOf(wait * 2, REBIND_MAX_MILLIS)
            }
        }
        return null
    }

    /** A listener and the transport it came from. */
    private class Bound(val transport: StreamTransport, val listener: StreamListener)

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

    /**
     * Connects [endpoint] until the socket or the endpoint closes: [first] for the first attempt, then the transport
     * the socket gets at each attempt (the default one once an io_uring transport failed). While the context closes
     * (a closed socket still delivering within its LINGER) the last one goes on serving.
     */
    private suspend fun reconnectLoop(socket: RealSocket, first: StreamTransport, endpoint: Endpoint, persistent: Peer?, routingId: ByteArray) {
        val o = socket.options
        var interval = o.reconnectIvl
        var transport = first
        var firstAttempt = true
        while (coroutineContext.isActive) {
            if (!firstAttempt) {
                transport = try {
                    transportFor(socket)
                } catch (e: ZmqException) {
                    transport // ETERM: the context is closing, its transports stay open until the sockets' LINGER ends
                }
            }
            firstAttempt = false
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
            } catch (e: Error) {
                // The connection failed with an error (StreamConnection handles exceptions itself): it is gone, its
                // stream closed; the endpoint reconnects instead of ending silently.
                RealSocket.log.warn("{}: connection to {} failed", socket, endpoint.text, e)
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

    private companion object {
        /** How long a listener whose transport failed waits before it tries to listen again, the first time. */
        const val REBIND_MILLIS = 100L

        /** The longest such wait. */
        const val REBIND_MAX_MILLIS = 5_000L
    }
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
