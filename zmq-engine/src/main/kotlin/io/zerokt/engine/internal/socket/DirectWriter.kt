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
     * Writes [message] to [peer]'s connection now, or queues it in the peer's out pipe behind what is queued there.
     * False when the pipe refused it (full or closed). Only the socket's serialised sender calls this.
     */
    fun trySend(peer: Peer, message: Message): Boolean
}
