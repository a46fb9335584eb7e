package io.zerokt.engine.internal.pattern

import io.zerokt.Message
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket

/**
 * Fair-queueing over the incoming pipes of a socket's peers (libzmq's `fq_t`; RFC 28/30 "SHALL receive incoming
 * messages from its peers using a fair-queuing strategy"): one message from each peer with something to give,
 * in turn. A pipe that is closed and drained is dropped from the socket's readable set.
 *
 * Used by PULL, DEALER, ROUTER, REP, SUB, XSUB, XPUB, PAIR. Not thread-safe: the socket serialises receives.
 * Messages leave a pipe only through the non-suspending [tryReceive]; the slow path waits on the socket's
 * readability signal and tries again, so a cancelled wait has taken nothing (no element is lost to a
 * cancellation racing a channel hand-over).
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
            val message = peer.incoming.tryReceive()
            if (message != null) {
                next = i + 1
                lastPeer = peer
                // An inproc pipe is the other socket's out pipe: tell its sender there is room again.
                peer.counterpart?.tookFromOut(1)
                return message
            }
            if (peer.incoming.isClosedForReceive) socket.dropReadable(peer)
            i++
        }
        return null
    }

    /** Takes the next message, suspending until one arrives (RCVTIMEO applies). */
    suspend fun receive(timeoutMillis: Int): Message {
        tryReceive()?.let { return it }
        return withZmqTimeout(timeoutMillis, "receive") { awaitMessage() }
    }

    /**
     * Waits for the next message with no timeout of its own. [extraTry] takes from another source first (XPUB's
     * subscriptions), whose producer fires the socket's readability signal too.
     */
    suspend fun awaitMessage(extraTry: (() -> Message?)? = null): Message {
        while (true) {
            val wake = socket.readSignal.arm()
            socket.checkOpen()
            extraTry?.invoke()?.let { return it }
            tryReceive()?.let { return it }
            wake.await()
        }
    }

    /** True when some peer has a message waiting. */
    fun hasMessage(): Boolean = socket.readable.any { !it.incoming.isEmpty }
}
