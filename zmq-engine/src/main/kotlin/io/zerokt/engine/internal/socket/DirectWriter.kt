package io.zerokt.engine.internal.socket

import io.zerokt.Message

/**
 * A connection that lets the sending thread write a message to the stream itself while the connection's writer is
 * idle, instead of queueing it and waking the writer's I/O thread.
 *
 * A request or a reply is one message in flight: queueing it costs a wake-up of the I/O thread, and on a CPU shared
 * with the sender a context switch, per message. A stream of messages gains nothing from it (the writer batches
 * them), so only REQ and REP use it.
 */
internal fun interface DirectWriter {
    /**
     * Writes [message] to [peer]'s connection now, or returns false (nothing written) when the writer is busy or
     * something sent before it is still untaken: the caller then queues it. Only [Peer.trySendOut] calls this, for
     * the socket's serialised sender, after counting the message in [Peer.unwritten].
     */
    fun tryWrite(peer: Peer, message: Message): Boolean
}
