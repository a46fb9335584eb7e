package io.zerokt.engine.internal.socket.types

import io.zerokt.Message
import io.zerokt.engine.internal.pattern.FairQueue
import io.zerokt.engine.internal.pattern.LoadBalancer
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.socket.SocketBehaviour

/**
 * PUSH (RFC 30): "SHALL route outgoing messages to connected peers using a round-robin strategy"; "SHALL block on
 * sending … when it has no available peers" (and when every peer is at SNDHWM). It never receives.
 */
internal class PushBehaviour(socket: RealSocket) : SocketBehaviour(socket) {
    private val lb = LoadBalancer(socket)

    override suspend fun send(message: Message, timeoutMillis: Int) {
        lb.send(message, timeoutMillis)
    }

    override fun trySend(message: Message): Boolean = lb.trySend(message) != null

    override suspend fun receive(timeoutMillis: Int): Message = cannotReceive()

    override fun tryReceive(): Message? = cannotReceive()

    override fun canSendNow(): Boolean = lb.hasRoom()
}

/** PULL (RFC 30): "SHALL receive incoming messages from its peers using a fair-queuing strategy". It never sends. */
internal class PullBehaviour(socket: RealSocket) : SocketBehaviour(socket) {
    private val fq = FairQueue(socket)

    override suspend fun send(message: Message, timeoutMillis: Int) = cannotSend()

    override fun trySend(message: Message): Boolean = cannotSend()

    override suspend fun receive(timeoutMillis: Int): Message = fq.receive(timeoutMillis)

    override fun tryReceive(): Message? = fq.tryReceive()

    override fun canReceiveNow(): Boolean = fq.hasMessage()
}

/** DEALER (RFC 28): round-robin out, fair-queue in, no envelopes. */
internal class DealerBehaviour(socket: RealSocket) : SocketBehaviour(socket) {
    private val lb = LoadBalancer(socket)
    private val fq = FairQueue(socket)

    override suspend fun send(message: Message, timeoutMillis: Int) {
        lb.send(message, timeoutMillis)
    }

    override fun trySend(message: Message): Boolean = lb.trySend(message) != null

    override suspend fun receive(timeoutMillis: Int): Message = fq.receive(timeoutMillis)

    override fun tryReceive(): Message? = fq.tryReceive()

    override fun canReceiveNow(): Boolean = fq.hasMessage()

    override fun canSendNow(): Boolean = lb.hasRoom()
}

/** PAIR (RFC 31): one peer only; a second connection is refused. */
internal class PairBehaviour(socket: RealSocket) : SocketBehaviour(socket) {
    private val lb = LoadBalancer(socket)
    private val fq = FairQueue(socket)

    override fun onAttach(peer: Peer): Boolean = socket.peers.isEmpty()

    override suspend fun send(message: Message, timeoutMillis: Int) {
        lb.send(message, timeoutMillis)
    }

    override fun trySend(message: Message): Boolean = lb.trySend(message) != null

    override suspend fun receive(timeoutMillis: Int): Message = fq.receive(timeoutMillis)

    override fun tryReceive(): Message? = fq.tryReceive()

    override fun canReceiveNow(): Boolean = fq.hasMessage()

    override fun canSendNow(): Boolean = lb.hasRoom()
}
