package io.zerokt.engine.internal.connection

import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import io.zerokt.ProtocolError
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.Frame
import io.zerokt.engine.internal.socket.Pipe
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket

/**
 * `inproc://` endpoints of one context: no codec and no copy; the two sockets share a pair of pipes crosswise.
 *
 * A connect before the bind is allowed (as in libzmq 4.x): the connecting side's peer is made at once (so it can
 * queue messages) and linked when the name is bound. Each pipe holds the sender's SNDHWM plus the receiver's
 * RCVHWM messages, as libzmq sums them (see [pipesFor]).
 */
internal class InprocBinder : Binder {
    private class Pending(val socket: RealSocket, val peer: Peer, val routingId: ByteArray?)

    private val bound = HashMap<String, RealSocket>()
    private val pending = HashMap<String, MutableList<Pending>>()

    /** True when a socket is bound to `inproc://`[name] (the ZAP client asks before each request, as libzmq). */
    fun isBound(name: String): Boolean = synchronized(this) { bound.containsKey(name) }

    override suspend fun bind(socket: RealSocket, endpoint: Endpoint): EndpointHandle {
        val name = endpoint.address
        val waiting = synchronized(this) {
            if (bound.containsKey(name)) throw ZmqException(ZmqError.EADDRINUSE, "$endpoint is already bound")
            bound[name] = socket
            pending.remove(name).orEmpty()
        }
        for (p in waiting) link(p.socket, socket, endpoint.text, p.peer, p.routingId)
        return object : EndpointHandle {
            override val requested = endpoint.text
            override val resolved = endpoint.text
            override val isBind = true

            override fun stopAccepting() {
                synchronized(this@InprocBinder) { if (bound[name] === socket) bound.remove(name) }
            }

            override fun close() = stopAccepting()
        }
    }

    override suspend fun connect(socket: RealSocket, endpoint: Endpoint): EndpointHandle {
        val name = endpoint.address
        val routingId = socket.options.connectRoutingId
        socket.options.connectRoutingId = null
        val peer: Peer
        val binder = synchronized(this) {
            val existing = bound[name]
            peer = pipesFor(socket, existing, endpoint.text)
            if (existing == null) pending.getOrPut(name) { ArrayList() }.add(Pending(socket, peer, routingId))
            existing
        }
        if (binder != null) {
            link(socket, binder, endpoint.text, peer, routingId)
        } else if (!socket.attachesOnHandshake) {
            peer.owner = socket
            socket.attach(peer)
        }
        return object : EndpointHandle {
            override val requested = endpoint.text
            override val resolved = endpoint.text
            override val isBind = false

            override fun stopAccepting() = Unit

            override fun close() {
                synchronized(this@InprocBinder) { pending[name]?.removeIf { it.peer === peer } }
                socket.detach(peer)
            }
        }
    }

    private fun link(connector: RealSocket, binder: RealSocket, endpoint: String, connectorPeer: Peer, routingId: ByteArray?) {
        if (!connector.type.isCompatibleWith(binder.type)) {
            val why = "socket type ${connector.type} cannot talk to ${binder.type}"
            for (s in listOf(connector, binder)) {
                s.emit(MonitorEvent(MonitorEventType.HANDSHAKE_FAILED_PROTOCOL, endpoint, ProtocolError.ZMTP_INVALID_METADATA.code.toLong(), ProtocolError.ZMTP_INVALID_METADATA, why, endpoint))
            }
            connector.detach(connectorPeer)
            return
        }
        // The binder's side shares the connector's pipes crosswise.
        val c = connector.options
        val b = binder.options
        val binderCapacity = Peer.capacity(sum(c.receiveHwm, b.sendHwm), c.conflate || b.conflate)
        val binderPeer = Peer(endpoint, out = connectorPeer.incoming, incoming = connectorPeer.out, isConnectSide = false, outCapacity = binderCapacity)
        connectorPeer.counterpart = binderPeer
        binderPeer.counterpart = connectorPeer
        connectorPeer.owner = connector
        binderPeer.owner = binder
        connectorPeer.peerType = binder.type
        binderPeer.peerType = connector.type
        connectorPeer.remoteAddress = endpoint
        binderPeer.remoteAddress = endpoint
        connectorPeer.routingId = idOf(routingId ?: binder.options.routingId)
        binderPeer.routingId = idOf(connector.options.routingId)
        connectorPeer.isConnected = true
        binderPeer.isConnected = true
        if (!binder.attach(binderPeer)) {
            connector.detach(connectorPeer)
            return
        }
        val alreadyAttached = connector.peers.any { it === connectorPeer }
        if (!alreadyAttached && !connector.attach(connectorPeer)) {
            binder.detach(binderPeer)
            return
        }
        for (s in listOf(connector, binder)) s.emit(MonitorEvent(MonitorEventType.HANDSHAKE_SUCCEEDED, endpoint, remoteAddress = endpoint))
    }

    /**
     * The connect side's peer, whose pipes both sockets share. Each holds the sender's SNDHWM plus the receiver's
     * RCVHWM and is conflated when either end has CONFLATE; with no [binder] yet, the default HWM and the
     * connector's CONFLATE stand in for the binder's (a channel cannot be resized once messages are queued in it).
     */
    private fun pipesFor(connector: RealSocket, binder: RealSocket?, endpoint: String): Peer {
        val c = connector.options
        val b = binder?.options
        val conflate = c.conflate || b?.conflate == true
        val out = Pipe.forInproc(sum(c.sendHwm, b?.receiveHwm ?: DEFAULT_HWM), conflate)
        val incoming = Pipe.forInproc(sum(c.receiveHwm, b?.sendHwm ?: DEFAULT_HWM), conflate)
        return Peer(endpoint, out, incoming, isConnectSide = true, outCapacity = Peer.capacity(sum(c.sendHwm, b?.receiveHwm ?: DEFAULT_HWM), conflate))
    }

    private fun idOf(bytes: ByteArray?): Frame = if (bytes == null || bytes.isEmpty()) Frame.EMPTY else Frame.of(bytes)

    private fun sum(a: Int, b: Int): Int = if (a <= 0 || b <= 0) 0 else a + b

    private companion object {
        const val DEFAULT_HWM = 1000
    }
}
