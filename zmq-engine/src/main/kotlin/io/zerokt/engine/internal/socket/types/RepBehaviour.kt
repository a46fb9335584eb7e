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

/**
 * REP (RFC 28): receives requests fair-queued, keeps each one's envelope (every frame up to and including the
 * empty delimiter) and sends the reply back to the same peer with that envelope. Strictly alternates
 * receive/send (`EFSM` otherwise). Requests without a delimiter are malformed and dropped.
 */
internal class RepBehaviour(socket: RealSocket) : SocketBehaviour(socket) {
    private val fq = FairQueue(socket)
    private var replying = false
    private var envelope: List<Frame> = emptyList()
    private var replyPeer: Peer? = null

    override suspend fun receive(timeoutMillis: Int): Message {
        checkNotReplying()
        tryReceive()?.let { return it }
        return withZmqTimeout(timeoutMillis, "receive") {
            var request: Message? = null
            while (request == null) request = accept(fq.awaitMessage())
            request
        }
    }

    override fun tryReceive(): Message? {
        checkNotReplying()
        while (true) {
            val message = fq.tryReceive() ?: return null
            accept(message)?.let { return it }
        }
    }

    private fun accept(message: Message): Message? {
        val frames = message.frames
        val delimiter = frames.indexOfFirst { it.isEmpty }
        if (delimiter < 0) return null
        envelope = frames.subList(0, delimiter + 1).toList()
        replyPeer = fq.lastPeer
        replying = true
        return if (delimiter + 1 < frames.size) message.drop(delimiter + 1) else Message.of(Frame.EMPTY)
    }

    private fun checkNotReplying() {
        if (replying) throw ZmqException(ZmqError.EFSM, "REP must send the reply before receiving another request")
    }

    override suspend fun send(message: Message, timeoutMillis: Int) {
        trySend(message)
    }

    override fun trySend(message: Message): Boolean {
        if (!replying) throw ZmqException(ZmqError.EFSM, "REP must receive a request before sending a reply")
        val frames = ArrayList<Frame>(envelope.size + message.size)
        frames.addAll(envelope)
        frames.addAll(message.frames)
        // As libzmq: a reply to a peer that is gone or full is dropped.
        replyPeer?.trySendOut(Message.wrap(frames))
        replying = false
        replyPeer = null
        envelope = emptyList()
        return true
    }

    override fun canReceiveNow(): Boolean = !replying && fq.hasMessage()

    /** The request was given back unread: not replying yet, but its envelope and peer are kept for when it is. */
    override fun onGiveBack() {
        replying = false
    }

    override fun onTakeBack() {
        replying = true
    }

    override fun canSendNow(): Boolean = replying
}
