package io.zerokt.engine.internal.socket.types

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.pattern.FairQueue
import io.zerokt.engine.internal.pattern.LoadBalancer
import io.zerokt.engine.internal.pattern.withZmqTimeout
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.socket.SocketBehaviour
import java.util.concurrent.ThreadLocalRandom

/**
 * REQ (RFC 28): sends a request to one peer chosen round-robin, with an empty delimiter frame before it, and then
 * accepts only that peer's reply (replies from others are discarded, as libzmq does). Sending twice without a
 * reply in between, or receiving without a request, fails with `EFSM`, unless REQ_RELAXED allows a new request.
 * With REQ_CORRELATE each request carries a 4-byte request id before the delimiter and only the reply with the
 * same id is accepted.
 */
internal class ReqBehaviour(socket: RealSocket) : SocketBehaviour(socket) {
    private val lb = LoadBalancer(socket)
    private val fq = FairQueue(socket)
    private var expectingReply = false
    private var replyPeer: Peer? = null
    private var requestId = ThreadLocalRandom.current().nextInt()

    override suspend fun send(message: Message, timeoutMillis: Int) {
        val request = prepare(message)
        replyPeer = lb.send(request, timeoutMillis)
        expectingReply = true
    }

    override fun trySend(message: Message): Boolean {
        val request = prepare(message)
        val peer = lb.trySend(request) ?: return false
        replyPeer = peer
        expectingReply = true
        return true
    }

    private fun prepare(message: Message): Message {
        if (expectingReply && !socket.options.reqRelaxed) {
            throw ZmqException(ZmqError.EFSM, "REQ must receive the reply before sending another request")
        }
        // A new request makes any reply given back by a losing select stale (REQ_RELAXED).
        socket.dropReturned()
        val frames = ArrayList<Frame>(message.size + 2)
        if (socket.options.reqCorrelate) {
            requestId++
            frames.add(Frame.wrap(java.nio.ByteBuffer.allocate(4).putInt(requestId).array()))
        }
        frames.add(Frame.EMPTY)
        frames.addAll(message.frames)
        return Message.wrap(frames)
    }

    override suspend fun receive(timeoutMillis: Int): Message {
        checkExpecting()
        tryReceive()?.let { return it }
        return withZmqTimeout(timeoutMillis, "receive") {
            var reply: Message? = null
            while (reply == null) reply = accept(fq.awaitMessage())
            reply
        }
    }

    override fun tryReceive(): Message? {
        checkExpecting()
        while (true) {
            val message = fq.tryReceive() ?: return null
            accept(message)?.let { return it }
        }
    }

    /** The reply's body if [message] answers the current request, else null (the message is dropped). */
    private fun accept(message: Message): Message? {
        if (fq.lastPeer !== replyPeer) return null
        var index = 0
        if (socket.options.reqCorrelate) {
            val id = message.frames.getOrNull(0) ?: return null
            if (id.size != 4 || java.nio.ByteBuffer.wrap(id.toByteArray()).int != requestId) return null
            index = 1
        }
        val delimiter = message.frames.getOrNull(index) ?: return null
        if (!delimiter.isEmpty || message.size < index + 2) return null
        expectingReply = false
        replyPeer = null
        return message.drop(index + 1)
    }

    private fun checkExpecting() {
        if (!expectingReply) throw ZmqException(ZmqError.EFSM, "REQ must send a request before receiving")
    }

    override fun canReceiveNow(): Boolean = expectingReply && fq.hasMessage()

    /** The reply was given back unread: it is awaited again (and only it: [replyPeer] stays cleared). */
    override fun onGiveBack() {
        expectingReply = true
    }

    override fun onTakeBack() {
        expectingReply = false
    }

    override fun canSendNow(): Boolean = (!expectingReply || socket.options.reqRelaxed) && lb.hasRoom()
}
