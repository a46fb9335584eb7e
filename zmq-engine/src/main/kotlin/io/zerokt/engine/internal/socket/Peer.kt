package io.zerokt.engine.internal.socket

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.engine.internal.pattern.SubscriptionTrie
import kotlinx.coroutines.channels.Channel
import java.util.concurrent.atomic.AtomicInteger

/**
 * One peer of a socket: the pair of pipes between the socket and one connection (libzmq's `pipe_t` pair).
 *
 * [out] carries messages from the socket to the peer, bounded by SNDHWM; [incoming] carries messages from the
 * peer to the socket, bounded by RCVHWM ([Pipe]'s factories say which kind each is). For `tcp`/`ipc` the other
 * ends are the connection's writer and reader; for `inproc` two peers share their pipes crosswise. The writer of a
 * pipe is the one that closes it.
 */
internal class Peer(
    /** The endpoint this peer belongs to, as the user bound or connected it. */
    val endpoint: String,
    /** Socket → peer. */
    val out: Pipe,
    /** Peer → socket. */
    val incoming: Pipe,
    /** True when this peer was made by `connect` (and so outlives its connections). */
    val isConnectSide: Boolean,
    /** How many messages [out] holds before it is full; 0 when it never is (unbounded or conflated). */
    val outCapacity: Int = 0,
    /** True for the stream peers of REQ and REP sockets, whose connections may take a [directWriter]. */
    val countsUnwritten: Boolean = false,
    /** For a stream peer: the signal [out] fires when it queues a message or closes (its writer waits on it). */
    val outWritten: ReadinessSignal? = null,
) {
    /**
     * With [countsUnwritten]: the messages that [trySendOut] queued in [out] or is writing directly, and that the
     * connection's writer has not taken yet. A sender writes directly only when it is the one. Kept by the peer, not
     * the connection, because a connect-side peer's pipe outlives its connections.
     */
    val unwritten = AtomicInteger(0)

    /**
     * Messages the socket's load balancer put into [out]; written only by the socket's (serialised) sender, with
     * release stores ([noteSent]): a reader that sees an older count only wakes a sender early.
     */
    private val sentCount = PaddedCounter()

    /** Messages taken from [out] by its one reader (the connection's writer, or the inproc socket on the other side). */
    private val takenCount = PaddedCounter()

    /** Counts one more message put into [out]; called by the socket's (serialised) sender after it queued one. */
    fun noteSent() {
        sentCount.lazySet(sentCount.get() + 1)
    }

    /**
     * True when [out] has room for another message (ZMQ_POLLOUT for this pipe). Exact for what the load balancer
     * sends; the few messages the engine adds itself (a probe, a welcome) only make it err towards "room".
     */
    fun hasRoom(): Boolean {
        if (outCapacity <= 0) return true
        val sent = sentCount.get()
        if (sent - takenSeen < outCapacity) return true
        takenSeen = takenCount.get()
        return sent - takenSeen < outCapacity
    }

    /**
     * The sender's last reading of the taken count ([hasRoom] reads the reader's line again only when the pipe looks
     * full). Plain: a stale or racing value only makes [hasRoom] read again.
     */
    private var takenSeen = 0L

    /**
     * The fill level at or below which the reader of [out] wakes the owner's writability waiters: half the capacity
     * (libzmq's low-water mark, `pipe_t::compute_lwm`). A sender that waits on a full pipe is woken once, when half
     * of it is free, instead of once per message taken (which made a fast sender and its reader take turns).
     */
    private val lowWater = (outCapacity + 1) / 2

    /** Notes that the reader of [out] took [count] messages; wakes the owner's writability waiters at the low-water mark. */
    fun tookFromOut(count: Int) {
        val taken = takenCount.get() + count
        // A volatile store, so also the fence an SpscPipe's take needs before the signal's waiter is read.
        takenCount.set(taken)
        // The sender's count is read only when someone waits: its line then stays with the sender while both run.
        val signal = owner?.writeSignal ?: return
        if (signal.isArmed && (outCapacity <= 0 || sentCount.get() - taken <= lowWater)) signal.fire()
    }

    /** The peer's routing id as a ROUTER sees it (from the handshake's Identity, or generated). */
    @Volatile var routingId: Frame = Frame.EMPTY

    /** The peer's socket type, once known. */
    @Volatile var peerType: SocketType? = null

    /** The peer's address (`tcp://1.2.3.4:5`), once connected. */
    @Volatile var remoteAddress: String? = null

    /** The ZMTP minor version of the current connection: 0 for a 3.0 peer (subscriptions go as messages). */
    @Volatile var peerMinorVersion: Int = 1

    /** What this peer subscribed to (for PUB/XPUB sockets). Guarded by the socket's subscription lock. */
    val subscriptions = SubscriptionTrie()

    /** The socket this peer is attached to. */
    @Volatile var owner: RealSocket? = null

    /** Messages a new connection sends before anything queued (a SUB's subscriptions), set when attached. */
    @Volatile var greeting: List<Message> = emptyList()

    /** For `inproc`, the peer object on the other socket; a detach on one side detaches the other. */
    @Volatile var counterpart: Peer? = null

    /**
     * The connection that a sender may write to itself while the connection's writer is idle (REQ and REP over
     * `tcp`/`ipc` on the default engine), or null. See [trySendOut].
     */
    @Volatile var directWriter: DirectWriter? = null

    /**
     * Sends [message] to this peer: written to the connection by the calling thread when a [directWriter] can
     * (nothing queued, its writer idle), else queued in [out]. False when [out] refused it (full or closed). Only the
     * socket's serialised sender calls this.
     */
    fun trySendOut(message: Message): Boolean {
        if (!countsUnwritten) return out.trySend(message)
        unwritten.incrementAndGet()
        if (directWriter?.tryWrite(this, message) == true || out.trySend(message)) return true
        unwritten.decrementAndGet()
        return false
    }

    /** Called by the socket when this peer is detached (closes the connection that serves it, if any). */
    @Volatile var onDetach: (() -> Unit)? = null

    /** True while a live connection (or an inproc link) serves this peer. */
    @Volatile var isConnected: Boolean = false

    override fun toString(): String = "Peer($endpoint, ${remoteAddress ?: "unconnected"})"

    companion object {
        /** The [outCapacity] of a pipe made by [pipe] with these arguments. */
        fun capacity(hwm: Int, conflate: Boolean): Int = if (conflate || hwm <= 0) 0 else hwm

        /** A stream peer of [socket] for [endpoint] and its pipes, with the socket's options. */
        fun forStream(socket: RealSocket, endpoint: String, isConnectSide: Boolean): Peer {
            val o = socket.options
            val written = ReadinessSignal()
            return Peer(
                endpoint,
                Pipe.forConnectionOut(o.sendHwm, o.conflate, written),
                Pipe.forConnection(o.receiveHwm, o.conflate),
                isConnectSide = isConnectSide,
                outCapacity = capacity(o.sendHwm, o.conflate),
                countsUnwritten = socket.type == SocketType.REQ || socket.type == SocketType.REP,
                outWritten = written,
            )
        }

        /** A pipe with room for [hwm] messages (0 = unbounded), or only the newest one when [conflate]. */
        fun pipe(hwm: Int, conflate: Boolean): Channel<Message> = when {
            conflate -> Channel(Channel.CONFLATED)
            hwm <= 0 -> Channel(Channel.UNLIMITED)
            else -> Channel(hwm)
        }
    }
}
