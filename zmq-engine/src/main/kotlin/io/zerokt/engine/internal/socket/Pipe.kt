package io.zerokt.engine.internal.socket

import io.zerokt.Message
import kotlinx.coroutines.channels.Channel

/**
 * A queue of messages from one producer side to one consumer side (libzmq's `pipe_t`, one direction).
 *
 * A socket consuming a pipe never waits on the pipe itself: it waits on its readiness signal, which producers fire
 * after queueing (a connection's writer waits on its out channel instead). A producer may wait for room ([send]).
 * The producer closes the pipe; the consumer then drains what is queued and sees [isClosedForReceive].
 */
internal interface Pipe {
    /** Queues [message] if there is room and the pipe is open; false otherwise (nothing queued). */
    fun trySend(message: Message): Boolean

    /** Queues [message], waiting for room; throws `ClosedSendChannelException` once the pipe is closed. */
    suspend fun send(message: Message)

    /** Takes the next message, or null when none is queued. */
    fun tryReceive(): Message?

    /** True when nothing is queued (a hint when read by another thread than the consumer). */
    val isEmpty: Boolean

    /** True once [close] was called. */
    val isClosedForSend: Boolean

    /** True once the pipe is closed and drained. */
    val isClosedForReceive: Boolean

    /** Closes the pipe for sending; queued messages stay to be taken. Wakes a producer waiting in [send]. */
    fun close()

    companion object {
        /**
         * The incoming pipe of a `tcp`/`ipc` connection, whose one producer is the connection's reader: a [SpscPipe]
         * when bounded, a channel when unbounded (RCVHWM 0) or conflating.
         */
        fun forConnection(hwm: Int, conflate: Boolean): Pipe =
            if (!conflate && hwm > 0) SpscPipe(hwm) else ChannelPipe(Peer.pipe(hwm, conflate))

        /**
         * The out pipe of a `tcp`/`ipc` peer, whose consumer is the connection's writer: a [SpscPipe] when bounded, a
         * channel when unbounded (SNDHWM 0) or conflating. Either fires [written] after queueing and on close: the
         * writer waits on it. Its producers are the socket's serialised sends and what is queued under the socket's
         * lock (a SUB's subscriptions; [SocketBehaviour.queueFirst] before the peer is published).
         */
        fun forConnectionOut(hwm: Int, conflate: Boolean, written: ReadinessSignal): Pipe =
            if (!conflate && hwm > 0) SpscPipe(hwm, written) else ChannelPipe(Peer.pipe(hwm, conflate), written)

        /**
         * One direction of an `inproc` link: a [SpscPipe] when bounded. Its producers are the sending socket's
         * sends, serialised by its send lock, and what a type queues on attach before the peer is published
         * ([SocketBehaviour.queueFirst]); its consumer is the other socket's receive, serialised by its receive lock.
         */
        fun forInproc(hwm: Int, conflate: Boolean): Pipe =
            if (!conflate && hwm > 0) SpscPipe(hwm) else ChannelPipe(Peer.pipe(hwm, conflate))
    }
}

/**
 * A [Pipe] over a kotlinx [Channel]: unbounded and conflating pipes. [written], if any, is fired after each message
 * queued and on close (the channel's operations are full fences already).
 */
internal class ChannelPipe(val channel: Channel<Message>, private val written: ReadinessSignal? = null) : Pipe {
    override fun trySend(message: Message): Boolean {
        if (!channel.trySend(message).isSuccess) return false
        written?.fire()
        return true
    }

    override suspend fun send(message: Message) {
        channel.send(message)
        written?.fire()
    }

    override fun tryReceive(): Message? = channel.tryReceive().getOrNull()

    override val isEmpty: Boolean get() = channel.isEmpty

    override val isClosedForSend: Boolean get() = channel.isClosedForSend

    override val isClosedForReceive: Boolean get() = channel.isClosedForReceive

    override fun close() {
        channel.close()
        written?.fire()
    }
}
