package io.zerokt.engine.internal.socket.types

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.pattern.FairQueue
import io.zerokt.engine.internal.pattern.SubscriptionTrie
import io.zerokt.engine.internal.pattern.withZmqTimeout
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.socket.SocketBehaviour
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.selects.select

/**
 * PUB and XPUB (RFC 29): each message goes to every peer with a subscription that is a prefix of its first
 * frame (INVERT_MATCHING: every peer with none). A peer at SNDHWM misses the message (PUB "SHALL silently drop"),
 * unless XPUB_NODROP, where the send waits (SNDTIMEO, then `EAGAIN`).
 *
 * XPUB also hands its subscribers' subscriptions to the application as messages (`\x01topic`, `\x00topic`):
 * each new topic once, every subscription with XPUB_VERBOSE, and every unsubscription too with XPUB_VERBOSER.
 * With XPUB_MANUAL the application decides: subscriptions are only passed up, and `ZMQ_SUBSCRIBE` on the XPUB
 * applies to the peer that sent the last one. XPUB_WELCOME_MSG is sent to each new subscriber.
 */
internal class PubBehaviour(socket: RealSocket, private val extended: Boolean) : SocketBehaviour(socket) {
    private val subscriptionsLock = Any()
    private val allTopics = SubscriptionTrie()
    private val upstream = Channel<Message>(Channel.UNLIMITED)
    private val fq = FairQueue(socket)
    @Volatile private var lastSubscriber: Peer? = null

    /** Passes a subscription up to the XPUB's reader and wakes it. */
    private fun pushUpstream(message: Message) {
        upstream.trySend(message)
        socket.readSignal.fire()
    }

    override fun queueFirst(peer: Peer) {
        if (extended) socket.options.xpubWelcome?.let { peer.out.trySend(Message.of(Frame.wrap(it.copyOf()))) }
    }

    override fun onDetach(peer: Peer) {
        synchronized(subscriptionsLock) {
            for (topic in peer.subscriptions.topics()) {
                while (peer.subscriptions.remove(topic)) { /* drain counts */ }
                if (allTopics.remove(topic) && extended && !socket.options.xpubManual) pushUpstream(subscriptionMessage(topic, false))
            }
            peer.subscriptions.clear()
        }
        if (lastSubscriber === peer) lastSubscriber = null
    }

    override suspend fun onPeerMessage(peer: Peer, message: Message) {
        if (isSubscriptionMessage(message)) {
            val frame = message.first()
            val bytes = frame.toByteArray()
            onPeerSubscription(peer, bytes.copyOfRange(1, bytes.size), bytes[0] == 1.toByte())
        } else if (extended) {
            peer.incoming.send(message)
        }
    }

    /** Always the suspending path: a publisher's incoming messages are few (subscriptions, XPUB's own). */
    override fun tryOnPeerMessage(peer: Peer, message: Message): Boolean = false

    override fun onPeerSubscription(peer: Peer, topic: ByteArray, subscribe: Boolean) {
        val options = socket.options
        if (extended && options.xpubManual) {
            lastSubscriber = peer
            pushUpstream(subscriptionMessage(topic, subscribe))
            return
        }
        synchronized(subscriptionsLock) {
            if (subscribe) {
                peer.subscriptions.add(topic)
                val first = allTopics.add(topic)
                if (extended && (first || options.xpubVerbose || options.xpubVerboser)) pushUpstream(subscriptionMessage(topic, true))
            } else {
                if (!peer.subscriptions.contains(topic)) return // not subscribed: nothing to cancel
                peer.subscriptions.remove(topic)
                val last = allTopics.remove(topic)
                if (extended && (last || options.xpubVerboser)) pushUpstream(subscriptionMessage(topic, false))
            }
        }
    }

    override fun setSubscription(topic: ByteArray, subscribe: Boolean) {
        if (!extended || !socket.options.xpubManual) super.setSubscription(topic, subscribe)
        val peer = lastSubscriber ?: return
        synchronized(subscriptionsLock) {
            if (subscribe) peer.subscriptions.add(topic) else peer.subscriptions.remove(topic)
        }
    }

    override suspend fun send(message: Message, timeoutMillis: Int) {
        val blocked = distribute(message, stopAtFull = socket.options.xpubNoDrop && extended) ?: return
        // XPUB_NODROP: wait until every matching peer has room, then deliver to each of them.
        withZmqTimeout(timeoutMillis, "send") {
            for (peer in blocked) {
                // The pipe's reader fires the socket's writability signal as it takes (Peer.tookFromOut).
                while (!peer.out.trySend(message) && !peer.out.isClosedForSend) {
                    val wake = socket.writeSignal.arm()
                    if (peer.out.trySend(message) || peer.out.isClosedForSend) break
                    select<Unit> {
                        wake.onAwait {}
                        socket.closeSignal.onAwait { throw socket.closedException() }
                    }
                }
            }
        }
    }

    override fun trySend(message: Message): Boolean {
        if (socket.options.xpubNoDrop && extended) {
            val matching = matchingPeers(message)
            // All or nothing: refuse while any matching peer is full. (Channels cannot reserve room, so this is
            // checked peer by peer; a peer that fills up meanwhile just misses the message.)
            for (peer in matching) if (!peer.out.trySend(message)) return false
            return true
        }
        distribute(message, stopAtFull = false)
        return true
    }

    /** Sends to every matching peer; returns the peers that were full when [stopAtFull], else null. */
    private fun distribute(message: Message, stopAtFull: Boolean): List<Peer>? {
        var full: MutableList<Peer>? = null
        for (peer in matchingPeers(message)) {
            if (!peer.out.trySend(message) && stopAtFull && !peer.out.isClosedForSend) {
                (full ?: ArrayList<Peer>().also { full = it }).add(peer)
            }
        }
        return full
    }

    private fun matchingPeers(message: Message): List<Peer> {
        val invert = socket.options.invertMatching
        val peers = socket.peers
        synchronized(subscriptionsLock) {
            return peers.filter { it.subscriptions.matches(message) != invert }
        }
    }

    override suspend fun receive(timeoutMillis: Int): Message {
        if (!extended) cannotReceive()
        tryReceive()?.let { return it }
        return withZmqTimeout(timeoutMillis, "receive") { fq.awaitMessage(extraTry = { upstream.tryReceive().getOrNull() }) }
    }

    override fun tryReceive(): Message? {
        if (!extended) cannotReceive()
        upstream.tryReceive().getOrNull()?.let { return it }
        return fq.tryReceive()
    }

    override fun canReceiveNow(): Boolean = extended && (!upstream.isEmpty || fq.hasMessage())

    override fun canSendNow(): Boolean = true

    private companion object {
        fun subscriptionMessage(topic: ByteArray, subscribe: Boolean) = SocketBehaviour.subscriptionMessage(topic, subscribe)

        fun isSubscriptionMessage(message: Message) = SocketBehaviour.isSubscriptionMessage(message)
    }
}
