package io.zerokt.engine.internal.socket.types

import io.zerokt.Message
import io.zerokt.engine.internal.pattern.FairQueue
import io.zerokt.engine.internal.pattern.SubscriptionTrie
import io.zerokt.engine.internal.pattern.withZmqTimeout
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.socket.SocketBehaviour

/**
 * SUB and XSUB (RFC 29): receive fair-queued; a SUB keeps only messages whose first frame starts with a subscribed
 * topic (INVERT_MATCHING: only those that don't), an XSUB everything its publishers send (so that an XPUB_MANUAL
 * publisher decides, as with libzmq). Subscriptions go to every publisher, and all of them again to
 * each new connection (so a reconnect restores them). A subscription is forwarded each time it is made; an
 * unsubscription only when its last count goes (libzmq's XSUB).
 *
 * SUB sets subscriptions with `ZMQ_SUBSCRIBE`; XSUB by sending `\x01topic` / `\x00topic` messages, and any other
 * message it sends goes to every publisher as it is.
 */
internal class SubBehaviour(socket: RealSocket, private val extended: Boolean) : SocketBehaviour(socket) {
    private val fq = FairQueue(socket)
    private val subscriptions = SubscriptionTrie()

    override fun onAttach(peer: Peer): Boolean {
        // Under the socket lock, like setSubscription: the snapshot and the live updates cannot overlap.
        peer.greeting = subscriptions.topics().map { subscriptionMessage(it, true) }
        return true
    }

    override fun afterAttach(peer: Peer) {
        val other = peer.counterpart ?: return
        val greeting = synchronized(socket.lock) { peer.greeting.also { peer.greeting = emptyList() } }
        for (m in greeting) forwardInproc(other, m)
    }

    override fun setSubscription(topic: ByteArray, subscribe: Boolean) {
        if (extended) super.setSubscription(topic, subscribe)
        update(topic, subscribe)
    }

    private fun update(topic: ByteArray, subscribe: Boolean) {
        synchronized(socket.lock) {
            val forward = if (subscribe) {
                subscriptions.add(topic)
                true
            } else {
                subscriptions.remove(topic)
            }
            if (forward) sendToAll(subscriptionMessage(topic, subscribe))
        }
    }

    private fun sendToAll(message: Message) {
        for (peer in socket.peers) {
            val other = peer.counterpart
            if (other != null) forwardInproc(other, message) else peer.out.trySend(message)
        }
    }

    private fun forwardInproc(other: Peer, message: Message) {
        val owner = other.owner ?: return
        if (isSubscriptionMessage(message)) {
            val bytes = message.first().toByteArray()
            owner.deliverSubscription(other, bytes.copyOfRange(1, bytes.size), bytes[0] == 1.toByte())
        } else {
            other.incoming.trySend(message)
            owner.readSignal.fire()
        }
    }

    override suspend fun send(message: Message, timeoutMillis: Int) {
        trySend(message)
    }

    override fun trySend(message: Message): Boolean {
        if (!extended) cannotSend()
        if (isSubscriptionMessage(message)) {
            val bytes = message.first().toByteArray()
            update(bytes.copyOfRange(1, bytes.size), bytes[0] == 1.toByte())
        } else {
            synchronized(socket.lock) { sendToAll(message) }
        }
        return true
    }

    override suspend fun receive(timeoutMillis: Int): Message {
        tryReceive()?.let { return it }
        return withZmqTimeout(timeoutMillis, "receive") {
            var message: Message
            do {
                message = fq.awaitMessage()
            } while (!wanted(message))
            message
        }
    }

    override fun tryReceive(): Message? {
        while (true) {
            val message = fq.tryReceive() ?: return null
            if (wanted(message)) return message
        }
    }

    /** SUB keeps what matches its subscriptions; XSUB keeps everything (the publisher filters, as libzmq's XSUB). */
    private fun wanted(message: Message): Boolean {
        if (extended) return true
        val matches = synchronized(socket.lock) { subscriptions.matches(message) }
        return matches != socket.options.invertMatching
    }

    override fun canReceiveNow(): Boolean = fq.hasMessage()

    override fun canSendNow(): Boolean = extended

    private companion object {
        fun subscriptionMessage(topic: ByteArray, subscribe: Boolean) = SocketBehaviour.subscriptionMessage(topic, subscribe)

        fun isSubscriptionMessage(message: Message) = SocketBehaviour.isSubscriptionMessage(message)
    }
}
