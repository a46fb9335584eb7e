package io.zerokt.engine.internal.pattern

import io.zerokt.Message
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import kotlinx.coroutines.selects.select

/**
 * Fair-queueing over the incoming pipes of a socket's peers (libzmq's `fq_t`; RFC 28/30 "SHALL receive incoming
 * messages from its peers using a fair-queuing strategy"): one message from each peer with something to give,
 * in turn. A pipe that is closed and drained is dropped from the socket's readable set.
 *
 * Used by PULL, DEALER, ROUTER, REP, SUB, XSUB, XPUB, PAIR. Not thread-safe: the socket serialises receives.
 */
internal class FairQueue(private val socket: RealSocket) {
    private var next = 0

    /** The peer the last message came from. */
    var lastPeer: Peer? = null
        private set

    /** Takes the next message without waiting, or returns null. */
    fun tryReceive(): Message? {
        val peers = socket.readable
        val n = peers.size
        if (n == 0) return null
        var i = next
        repeat(n) {
            if (i >= n) i = 0
            val peer = peers[i]
            val result = peer.incoming.tryReceive()
            if (result.isSuccess) {
                next = i + 1
                lastPeer = peer
                return result.getOrThrow()
            }
            if (result.isClosed) socket.dropReadable(peer)
            i++
        }
        return null
    }

    /** Takes the next message, suspending until one arrives (RCVTIMEO applies). */
    suspend fun receive(timeoutMillis: Int): Message {
        tryReceive()?.let { return it }
        return withZmqTimeout(timeoutMillis, "receive") { awaitMessage() }
    }

    /** Waits for the next message with no timeout of its own. */
    suspend fun awaitMessage(extra: (kotlinx.coroutines.selects.SelectBuilder<Message?>.() -> Unit)? = null): Message {
        while (true) {
            socket.checkOpen()
            tryReceive()?.let { return it }
            val peers = socket.readable
            val changed = socket.peersChanged
            val message: Message? = select {
                val n = peers.size
                for (k in 0 until n) {
                    val peer = peers[(next + k) % n]
                    peer.incoming.onReceiveCatching { result ->
                        if (result.isSuccess) {
                            lastPeer = peer
                            next = (next + k + 1)
                            result.getOrThrow()
                        } else {
                            socket.dropReadable(peer)
                            null
                        }
                    }
                }
                extra?.invoke(this)
                changed.onAwait { null }
                socket.closeSignal.onAwait { null }
            }
            if (message != null) return message
        }
    }

    /** True when some peer has a message waiting. */
    fun hasMessage(): Boolean = socket.readable.any { !it.incoming.isEmpty }
}
