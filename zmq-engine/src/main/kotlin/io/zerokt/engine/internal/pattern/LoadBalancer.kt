package io.zerokt.engine.internal.pattern

import io.zerokt.Message
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket

/**
 * Round-robin over the outgoing pipes of a socket's peers, skipping full ones (libzmq's `lb_t`; RFC 28/30
 * "SHALL route outgoing messages to available peers using a round-robin strategy").
 *
 * Used by PUSH, DEALER, REQ and PAIR. Not thread-safe: the socket serialises sends. Every message goes in with a
 * non-suspending `trySend`, counted by [Peer.noteSent], so that [hasRoom] is exact and a cancelled [send] has queued
 * nothing: the slow path waits on the socket's writability signal and tries again, it never parks inside a pipe.
 */
internal class LoadBalancer(private val socket: RealSocket) {
    private var next = 0

    /** Queues [message] to the next peer with room; returns that peer, or null when every peer is full or there is none. */
    fun trySend(message: Message): Peer? {
        val peers = socket.peers
        val n = peers.size
        if (n == 0) return null
        var i = next
        repeat(n) {
            if (i >= n) i = 0
            val peer = peers[i]
            if (peer.hasRoom() && peer.trySendOut(message)) {
                peer.noteSent()
                next = i + 1
                return peer
            }
            i++
        }
        return null
    }

    /** Queues [message] to the next peer with room, suspending until one has room (SNDTIMEO applies). */
    suspend fun send(message: Message, timeoutMillis: Int): Peer {
        trySend(message)?.let { return it }
        return withZmqTimeout(timeoutMillis, "send") { awaitRoom(message) }
    }

    private suspend fun awaitRoom(message: Message): Peer {
        while (true) {
            val wake = socket.writeSignal.arm()
            socket.checkOpen()
            trySend(message)?.let { return it }
            wake.await()
        }
    }

    /** True when a send could go somewhere now: some peer's pipe is below its high-water mark (ZMQ_POLLOUT). */
    fun hasRoom(): Boolean = socket.peers.any { it.hasRoom() && !it.out.isClosedForSend }
}
