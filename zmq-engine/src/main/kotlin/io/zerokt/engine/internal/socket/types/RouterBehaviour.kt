package io.zerokt.engine.internal.socket.types

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.pattern.FairQueue
import io.zerokt.engine.internal.pattern.withZmqTimeout
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.socket.SocketBehaviour
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.launch
import java.nio.ByteBuffer
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ThreadLocalRandom

/**
 * ROUTER (RFC 28): every received message is prefixed with the routing id of the peer it came from; the first
 * frame of every sent message names the peer to send the rest to.
 *
 * A peer's routing id is its ROUTING_ID (the handshake's Identity), the CONNECT_ROUTING_ID given to the connect
 * that made it, or a generated 5-byte id (a zero byte and a counter, as libzmq). A second peer with an id in use
 * is refused, unless ROUTER_HANDOVER, where it takes the id over and the old peer is dropped. A message for an
 * unknown peer is dropped, or fails with `EHOSTUNREACH` under ROUTER_MANDATORY; a message for a full peer is
 * dropped, or waits (SNDTIMEO, then `EAGAIN`) under ROUTER_MANDATORY.
 */
internal class RouterBehaviour(socket: RealSocket) : SocketBehaviour(socket) {
    private val fq = FairQueue(socket)
    private val byId = ConcurrentHashMap<Frame, Peer>()
    private var nextId = ThreadLocalRandom.current().nextInt()

    override fun onAttach(peer: Peer): Boolean {
        var id = peer.routingId
        if (id.isEmpty) {
            id = generateId()
        } else {
            val holder = byId[id]
            if (holder != null) {
                if (!socket.options.routerHandover) {
                    RealSocket.log.debug("ROUTER refuses a second peer with routing id {}", id)
                    return false
                }
                byId.remove(id)
                holder.routingId = generateId()
                // Detach outside the lock we are called under.
                socket.scope.launch { socket.detach(holder) }
            }
        }
        peer.routingId = id
        byId[id] = peer
        return true
    }

    private fun generateId(): Frame {
        while (true) {
            val bytes = ByteBuffer.allocate(5).put(0).putInt(nextId++).array()
            val id = Frame.wrap(bytes)
            if (!byId.containsKey(id)) return id
        }
    }

    override fun onDetach(peer: Peer) {
        byId.remove(peer.routingId, peer)
    }

    override suspend fun receive(timeoutMillis: Int): Message {
        val message = fq.receive(timeoutMillis)
        return message.prepend(fq.lastPeer!!.routingId)
    }

    override fun tryReceive(): Message? = fq.tryReceive()?.prepend(fq.lastPeer!!.routingId)

    override suspend fun send(message: Message, timeoutMillis: Int) {
        val (peer, body) = route(message) ?: return
        if (peer.out.trySend(body)) return
        if (!socket.options.routerMandatory) return
        try {
            withZmqTimeout(timeoutMillis, "send") { peer.out.send(body) }
        } catch (_: ClosedSendChannelException) {
            throw ZmqException(ZmqError.EHOSTUNREACH, "the peer left")
        }
    }

    override fun trySend(message: Message): Boolean {
        val (peer, body) = route(message) ?: return true
        if (peer.out.trySend(body)) return true
        return !socket.options.routerMandatory
    }

    private fun route(message: Message): Pair<Peer, Message>? {
        if (message.size < 2) throw ZmqException(ZmqError.EINVAL, "a ROUTER message needs a routing id frame and a body")
        val peer = byId[message.first()]
        if (peer == null) {
            if (socket.options.routerMandatory) throw ZmqException(ZmqError.EHOSTUNREACH, "no peer with routing id ${message.first()}")
            return null
        }
        return peer to message.drop(1)
    }

    override fun canReceiveNow(): Boolean = fq.hasMessage()

    override fun canSendNow(): Boolean = true
}
