package io.zerokt.engine.internal.pattern

import io.zerokt.Message
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.selects.select

/**
 * Round-robin over the outgoing pipes of a socket's peers, skipping full ones (libzmq's `lb_t`; RFC 28/30
 * "SHALL route outgoing messages to available peers using a round-robin strategy").
 *
 * Used by PUSH, DEALER and REQ. Not thread-safe: the socket serialises sends.
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
            if (peer.out.trySend(message).isSuccess) {
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
            socket.checkOpen()
            trySend(message)?.let { return it }
            val peers = socket.peers
            val changed = socket.peersChanged
            val chosen: Peer? = try {
                select {
                    val n = peers.size
                    for (k in 0 until n) {
                        val peer = peers[(next + k) % n]
                        peer.out.onSend(message) { peer }
                    }
                    changed.onAwait { null }
                    socket.closeSignal.onAwait { null }
                }
            } catch (_: ClosedSendChannelException) {
                null
            }
            if (chosen != null) {
                next = peers.indexOf(chosen) + 1
                return chosen
            }
        }
    }

    /** True when a send could go somewhere now (an approximation: some peer is attached). */
    fun hasRoom(): Boolean = socket.peers.isNotEmpty()
}
