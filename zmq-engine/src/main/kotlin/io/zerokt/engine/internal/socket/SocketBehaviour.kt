package io.zerokt.engine.internal.socket

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.socket.types.*

/**
 * The rules of one socket type (libzmq's `socket_base_t` subclasses): where [send] puts a message, where
 * [receive] takes one from, and what the type does when peers come and go.
 *
 * Sends and receives are serialised by the socket; [onAttach] and [onDetach] run under the socket's lock;
 * [onPeerMessage] and [onPeerSubscription] run on connection coroutines.
 */
internal abstract class SocketBehaviour(protected val socket: RealSocket) {
    abstract suspend fun send(message: Message, timeoutMillis: Int)

    abstract fun trySend(message: Message): Boolean

    abstract suspend fun receive(timeoutMillis: Int): Message

    abstract fun tryReceive(): Message?

    /** Decides whether [peer] may join (under the socket's lock); false refuses it. */
    open fun onAttach(peer: Peer): Boolean = true

    /**
     * Queues what [peer] must get before anything else (ROUTER_PROBE's empty message), under the socket's lock and
     * before the peer is published to senders: an inproc out pipe takes one producer at a time.
     */
    open fun queueFirst(peer: Peer) {
        if (socket.options.probeRouter && (socket.type == SocketType.DEALER || socket.type == SocketType.REQ || socket.type == SocketType.ROUTER)) {
            peer.out.trySend(Message.of(Frame.EMPTY))
        }
    }

    /** Runs after [peer] joined, outside the lock. */
    open fun afterAttach(peer: Peer) {}

    /** Runs when [peer] leaves (under the socket's lock). */
    open fun onDetach(peer: Peer) {}

    /** A message from [peer]: by default queued for [receive], waiting while the pipe is full (back-pressure). */
    open suspend fun onPeerMessage(peer: Peer, message: Message) {
        peer.incoming.send(message)
    }

    /** [onPeerMessage] when it can finish without waiting; false (nothing done) when it would wait. */
    open fun tryOnPeerMessage(peer: Peer, message: Message): Boolean = peer.incoming.trySend(message)

    /** A SUBSCRIBE/CANCEL from [peer]; ignored by types that do not publish. */
    open fun onPeerSubscription(peer: Peer, topic: ByteArray, subscribe: Boolean) {}

    /** What a fresh connection to [peer] sends first. */
    open fun greetingMessages(peer: Peer): List<Message> = peer.greeting

    /** `ZMQ_SUBSCRIBE`/`ZMQ_UNSUBSCRIBE`. */
    open fun setSubscription(topic: ByteArray, subscribe: Boolean) {
        throw ZmqException(ZmqError.EINVAL, "${socket.type} sockets have no subscriptions")
    }

    open fun canReceiveNow(): Boolean = false

    /** A message just received was given back to the socket (a `select` took it and lost): undo its effect. */
    open fun onGiveBack() {}

    /** A given-back message is being received again: redo its effect. */
    open fun onTakeBack() {}

    open fun canSendNow(): Boolean = false

    protected fun cannotSend(): Nothing = throw ZmqException(ZmqError.ENOTSUP, "${socket.type} sockets cannot send")

    protected fun cannotReceive(): Nothing = throw ZmqException(ZmqError.ENOTSUP, "${socket.type} sockets cannot receive")

    companion object {
        fun create(type: SocketType, socket: RealSocket): SocketBehaviour = when (type) {
            SocketType.PUSH -> PushBehaviour(socket)
            SocketType.PULL -> PullBehaviour(socket)
            SocketType.PAIR -> PairBehaviour(socket)
            SocketType.DEALER -> DealerBehaviour(socket)
            SocketType.REQ -> ReqBehaviour(socket)
            SocketType.REP -> RepBehaviour(socket)
            SocketType.ROUTER -> RouterBehaviour(socket)
            SocketType.PUB -> PubBehaviour(socket, extended = false)
            SocketType.XPUB -> PubBehaviour(socket, extended = true)
            SocketType.SUB -> SubBehaviour(socket, extended = false)
            SocketType.XSUB -> SubBehaviour(socket, extended = true)
            else -> throw ZmqException(ZmqError.EINVAL, "socket type $type is a draft type that ZeroKt does not implement yet")
        }

        /** True for a message in the subscription form `\x01topic` / `\x00topic`. */
        fun isSubscriptionMessage(message: Message): Boolean {
            if (message.size != 1) return false
            val f = message.first()
            return f.size >= 1 && (f[0] == 1.toByte() || f[0] == 0.toByte())
        }

        /** The subscription message for [topic]. */
        fun subscriptionMessage(topic: ByteArray, subscribe: Boolean): Message {
            val bytes = ByteArray(topic.size + 1)
            bytes[0] = if (subscribe) 1 else 0
            System.arraycopy(topic, 0, bytes, 1, topic.size)
            return Message.of(Frame.wrap(bytes))
        }
    }
}
