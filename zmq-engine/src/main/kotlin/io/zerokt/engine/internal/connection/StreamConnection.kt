package io.zerokt.engine.internal.connection

import io.zerokt.engine.spi.*
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import io.zerokt.ProtocolError
import io.zerokt.engine.internal.socket.DirectWriter
import io.zerokt.engine.internal.socket.Peer
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.socket.SocketBehaviour
import io.zerokt.engine.internal.security.Mechanisms
import io.zerokt.engine.internal.security.ZapClient
import io.zerokt.engine.internal.zmtp.ZmtpConfig
import io.zerokt.engine.internal.zmtp.ZmtpConnection
import io.zerokt.engine.internal.zmtp.ZmtpEvent
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.onTimeout
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withTimeoutOrNull
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger

/**
 * Drives one `tcp`/`ipc` connection: the sans-I/O ZMTP codec over a [ByteStream] (quinn's `ConnectionDriver`).
 *
 * The reader reads big chunks and decodes every frame in them; the writer drains the peer's outgoing pipe into
 * one buffer of up to [BATCH_BYTES] and writes it at once; a timer serves heartbeats. The connection's peer is
 * attached to the socket when the handshake succeeds (or, for a connect-side [persistentPeer], served again).
 */
@OptIn(ZeroKtInternalApi::class)
internal class StreamConnection(
    private val socket: RealSocket,
    private val stream: ByteStream,
    /** The endpoint for monitor events: the listener's resolved endpoint, or the connected one. */
    private val endpoint: String,
    /** A connect-side peer that outlives its connections, or null to make a peer per connection. */
    private val persistentPeer: Peer?,
    /** For a ROUTER's connect: the routing id to give the peer (CONNECT_ROUTING_ID). */
    private val assignedRoutingId: ByteArray?,
) {
    private val codec: ZmtpConnection
    private val out = OutputBuffer(BATCH_BYTES + 1024)
    private val readBuffer = ByteArray(READ_BYTES)

    /**
     * Whose turn it is to write to the stream when senders may write themselves ([DirectWriter], REQ and REP):
     * [TURN_WRITER] (the writer loop), [TURN_IDLE] (the writer waits and has written all it took; a sender may
     * take the turn) or [TURN_SENDER] (a sender is writing). A sender that finds queued messages hands the turn
     * to the writer and queues behind them, so messages go out in the order they were sent.
     */
    private val turn = AtomicInteger(TURN_WRITER)

    /** True while the writer waits for a sender to give the turn back. */
    @Volatile private var writerWaits = false

    /** What a sender encoded and the kernel did not take at once: the writer writes it before anything else. */
    private val directOut = OutputBuffer(1024)
    private val kick = Channel<Unit>(Channel.CONFLATED)
    private val timerKick = Channel<Unit>(Channel.CONFLATED)
    private var failure: ZmtpEvent.Failed? = null

    /** The deadline the timer loop sleeps until (guarded by the codec's lock); a read kicks it only to move it earlier. */
    private var timerWaitsFor = Long.MAX_VALUE
    private var closeReason: String? = null
    private val security: SecurityOptions

    init {
        val o = socket.options
        security = o.security.snapshot(o.zapDomain)
        val mechanism = Mechanisms.factoryFor(security)
        codec = ZmtpConnection(
            ZmtpConfig(
                socketType = socket.type,
                routingId = o.routingId,
                asServer = mechanism.asServer,
                mechanism = mechanism,
                maxMessageSize = o.maxMessageSize,
                heartbeatIvlMillis = o.heartbeatIvl,
                heartbeatTtlMillis = o.heartbeatTtl,
                heartbeatTimeoutMillis = o.heartbeatTimeout,
                handshakeIvlMillis = o.handshakeIvl,
                peerAddress = hostOf(stream.remoteAddress),
            ),
        )
    }

    /** Runs the connection to its end; returns true when its handshake succeeded. Never throws but for cancellation. */
    suspend fun run(): Boolean {
        var peer: Peer? = null
        try {
            synchronized(codec) { codec.start(now()) }
            flushProtocolOutput()
            peer = handshake()
            if (peer != null) serve(peer)
        } catch (e: CancellationException) {
            throw e
        } catch (e: IOException) {
            closeReason = e.message ?: e.javaClass.simpleName
        } catch (e: ClosedSendChannelException) {
            closeReason = "the socket let go of this peer"
        } catch (e: Exception) {
            // A bug here must cost this connection only, never the socket (whose failure would block its close).
            closeReason = "internal error: $e"
            RealSocket.log.warn("{}: connection to {} failed unexpectedly", socket, stream.remoteAddress, e)
        } finally {
            stream.close()
            if (failure == null) {
                failure = synchronized(codec) { generateSequence { codec.pollEvent() }.filterIsInstance<ZmtpEvent.Failed>().firstOrNull() }
            }
            if (peer != null) {
                peer.isConnected = false
                if (peer !== persistentPeer) socket.detach(peer)
            }
            report(peer != null)
        }
        return peer != null
    }

    private fun report(handshaken: Boolean) {
        val f = failure
        val remote = stream.remoteAddress
        if (!handshaken) {
            val event = if (f != null && f.authStatusCode != 0) {
                MonitorEvent(MonitorEventType.HANDSHAKE_FAILED_AUTH, endpoint, f.authStatusCode.toLong(), null, f.reason, remote)
            } else if (f != null && f.noDetail) {
                MonitorEvent(MonitorEventType.HANDSHAKE_FAILED_NO_DETAIL, endpoint, 0, null, f.reason, remote)
            } else if (f != null) {
                MonitorEvent(MonitorEventType.HANDSHAKE_FAILED_PROTOCOL, endpoint, f.error.code.toLong(), f.error, f.reason, remote)
            } else {
                MonitorEvent(MonitorEventType.HANDSHAKE_FAILED_NO_DETAIL, endpoint, 0, null, closeReason ?: "connection closed during the handshake", remote)
            }
            socket.emit(event)
        }
        socket.emit(
            MonitorEvent(MonitorEventType.DISCONNECTED, endpoint, 0, f?.error, f?.reason ?: closeReason ?: "closed", remote),
        )
        if (f != null) RealSocket.log.info("{}: dropped {} ({}): {}", socket, remote, f.error, f.reason)
    }

    /** Reads until the handshake succeeds (returns the attached peer) or fails (returns null). */
    private suspend fun handshake(): Peer? {
        while (true) {
            while (true) {
                val event = synchronized(codec) { codec.pollEvent() } ?: break
                when (event) {
                    is ZmtpEvent.HandshakeSucceeded -> {
                        flushProtocolOutput()
                        return attach(event)
                    }
                    is ZmtpEvent.Failed -> {
                        failure = event
                        flushProtocolOutput()
                        return null
                    }
                    else -> error("codec produced $event before the handshake")
                }
            }
            flushProtocolOutput()
            val zapRequest = synchronized(codec) { codec.pollMechanismRequest() }
            if (zapRequest != null) {
                askZap(zapRequest)
                continue
            }
            val deadline = synchronized(codec) { codec.pollTimeout() }
            val n = if (deadline == null) {
                stream.read(readBuffer, 0, readBuffer.size)
            } else {
                withTimeoutOrNull((deadline - now()).coerceAtLeast(1)) { stream.read(readBuffer, 0, readBuffer.size) } ?: TIMED_OUT
            }
            when {
                n == TIMED_OUT -> synchronized(codec) { codec.handleTimeout(now()) }
                n < 0 -> {
                    closeReason = "the peer closed the connection during the handshake"
                    synchronized(codec) { codec.endOfInput(now()) }
                    return null
                }
                else -> synchronized(codec) { codec.receive(readBuffer, 0, n, now()) }
            }
        }
    }

    /** Asks the ZAP handler (RFC 27) for the mechanism and hands the verdict back to the codec. */
    private suspend fun askZap(request: ZapRequest) {
        val deadline = synchronized(codec) { codec.pollTimeout() }
        val timeout = if (deadline == null) ZAP_TIMEOUT_MILLIS else minOf(ZAP_TIMEOUT_MILLIS, deadline - now())
        try {
            val reply = ZapClient.ask(socket.context, request, security.zapDomain, hostOf(stream.remoteAddress), socket.options.routingId, timeout)
            synchronized(codec) { codec.supplyMechanismVerdict(reply, now()) }
        } catch (e: ZmtpProtocolException) {
            synchronized(codec) { codec.failMechanismVerdict(e.error, e.reason, now()) }
        }
    }

    private fun attach(event: ZmtpEvent.HandshakeSucceeded): Peer? {
        val peer = persistentPeer ?: Peer.forStream(socket, endpoint, isConnectSide = assignedRoutingId != null)
        peer.owner = socket
        peer.peerType = event.peerSocketType
        peer.peerMinorVersion = event.peerMinorVersion
        peer.remoteAddress = stream.remoteAddress
        peer.onDetach = { stream.close() }
        if (peer !== persistentPeer) {
            val id = assignedRoutingId?.takeIf { it.isNotEmpty() } ?: event.peerRoutingId?.takeIf { it.isNotEmpty() }
            peer.routingId = if (id != null) Frame.of(id) else Frame.EMPTY
            if (!socket.attach(peer)) {
                closeReason = "refused by the ${socket.type} socket (a PAIR already has its peer, or a ROUTER already has this routing id)"
                return null
            }
        }
        peer.isConnected = true
        socket.emit(MonitorEvent(MonitorEventType.HANDSHAKE_SUCCEEDED, endpoint, 0, remoteAddress = stream.remoteAddress))
        return peer
    }

    private suspend fun serve(peer: Peer) = coroutineScope {
        val direct = peer.countsUnwritten && runCatching { stream.writeNow(EMPTY, 0, 0) == 0 }.getOrDefault(false)
        val directWriter = DirectWriter { p, message -> tryWriteDirect(p, message) }
        val writer = launch { writeLoop(peer, direct) }
        val timer = launch { timerLoop() }
        if (direct) peer.directWriter = directWriter
        try {
            readLoop(peer)
        } finally {
            if (peer.directWriter === directWriter) peer.directWriter = null
            writer.cancel()
            timer.cancel()
        }
    }

    /**
     * [DirectWriter.tryWrite]: writes [message] (already counted in [Peer.unwritten]) from the calling thread when
     * the writer is idle and nothing sent before it is untaken; else false, and the caller queues it.
     */
    private fun tryWriteDirect(peer: Peer, message: Message): Boolean {
        if (!turn.compareAndSet(TURN_IDLE, TURN_SENDER)) return false
        if (peer.unwritten.get() == 1 && writeDirect(peer, message)) return true
        // Messages sent before this one are queued, or the stream failed: they and this one go through the writer.
        turn.set(TURN_WRITER)
        kick.trySend(Unit)
        return false
    }

    /** Holding [TURN_SENDER]: encodes [message] and writes what the kernel takes; false (nothing sent) on a failure. */
    private fun writeDirect(peer: Peer, message: Message): Boolean {
        try {
            synchronized(codec) {
                codec.drainOutput(directOut)
                encode(message, directOut)
            }
            val n = stream.writeNow(directOut.array, 0, directOut.size)
            val rest = directOut.size - n
            peer.unwritten.decrementAndGet()
            peer.tookFromOut(1)
            if (rest == 0) {
                directOut.clear()
                turn.set(TURN_IDLE)
                if (writerWaits) kick.trySend(Unit)
            } else {
                // The kernel's buffer is full: the writer writes the rest, before anything else.
                directOut.discardFirst(n)
                turn.set(TURN_WRITER)
                kick.trySend(Unit)
            }
            return true
        } catch (e: IOException) {
            // The connection is failing and wrote nothing: queue the message as if the writer had been busy.
            directOut.clear()
            return false
        }
    }

    /** Takes the turn back after a wait: from [TURN_IDLE], or as handed over; waits while a sender writes. */
    private suspend fun acquireTurn() {
        fun taken() = turn.compareAndSet(TURN_IDLE, TURN_WRITER) || turn.get() == TURN_WRITER
        while (!taken()) {
            writerWaits = true
            // A sender that gave the turn back before it could see writerWaits kicks nobody: look again first.
            if (!taken()) kick.receive()
            writerWaits = false
        }
    }

    private suspend fun readLoop(peer: Peer) {
        // One lock per read: feed the bytes, take every event they made, note what the writer and the timer need.
        val batch = ArrayList<Any>()
        var replies = synchronized(codec) {
            codec.drainEvents(batch)
            codec.hasPendingOutput()
        }
        // A read that filled the buffer likely left more in the kernel: read on before waking the socket's readers,
        // so a burst of large messages costs one wake-up, not one per read (a wake-up is a context switch when the
        // receiver shares the I/O thread's core). Never more than WAKE_AFTER_BYTES or WAKE_AFTER_MESSAGES late.
        var full = false
        var bytesSinceWake = 0
        try {
            while (true) {
                deliverAll(peer, batch)
                if (failure != null) return
                if (replies) kick.trySend(Unit)
                var n = 0
                if (unwoken > 0) {
                    if (full && bytesSinceWake < WAKE_AFTER_BYTES && unwoken < WAKE_AFTER_MESSAGES) {
                        n = stream.readNow(readBuffer, 0, readBuffer.size)
                    }
                    if (n == 0) {
                        wakeReaders()
                        bytesSinceWake = 0
                    }
                }
                if (n == 0) n = stream.read(readBuffer, 0, readBuffer.size)
                if (n < 0) {
                    closeReason = "the peer closed the connection"
                    // A stream that ends inside a frame is TRUNCATED; run() picks the Failed event up.
                    synchronized(codec) { codec.endOfInput(now()) }
                    return
                }
                full = n == readBuffer.size
                bytesSinceWake += n
                var timerLate: Boolean
                synchronized(codec) {
                    codec.receive(readBuffer, 0, n, now())
                    val deadline = codec.pollTimeout()
                    timerLate = deadline != null && deadline < timerWaitsFor
                    codec.drainEvents(batch)
                    replies = codec.hasPendingOutput()
                }
                // Waking the timer on every read would cost a dispatch per message; only a nearer deadline needs it.
                if (timerLate) timerKick.trySend(Unit)
            }
        } finally {
            if (unwoken > 0) wakeReaders()
        }
    }

    /** Messages queued quietly since the socket's readers were last woken (a field: see [deliverAll]). */
    private var unwoken = 0

    private fun wakeReaders() {
        unwoken = 0
        socket.wakeReaders()
    }

    /**
     * Hands the events of one read to the socket and empties [batch]. The messages are queued quietly and counted
     * in [unwoken]; the read loop wakes the socket's readers once after them. Stops at a [ZmtpEvent.Failed], noted
     * in [failure]. (Returns Unit: a suspend function's Boolean would be boxed on every call.)
     */
    private suspend fun deliverAll(peer: Peer, batch: ArrayList<Any>) {
        try {
            for (i in batch.indices) {
                when (val event = batch[i]) {
                    is Message -> if (socket.tryDeliverQuietly(peer, event)) {
                        unwoken++
                    } else {
                        // The pipe is full: wake its reader before waiting for room.
                        wakeReaders()
                        socket.deliver(peer, event)
                    }
                    is ZmtpEvent.Subscribe -> socket.deliverSubscription(peer, event.topic, true)
                    is ZmtpEvent.Cancel -> socket.deliverSubscription(peer, event.topic, false)
                    is ZmtpEvent.Failed -> {
                        // After the handshake a broken peer is just dropped (no ERROR command, as libzmq).
                        failure = event
                        return
                    }
                    else -> Unit // HandshakeSucceeded came before; MessageReceived is only made by pollEvent
                }
            }
        } finally {
            batch.clear()
        }
    }

    /** Writes what the socket queues for [peer]; with [direct], hands the turn to senders while it waits. */
    private suspend fun writeLoop(peer: Peer, direct: Boolean) {
        val greeting = socket.greetingMessages(peer)
        if (greeting.isNotEmpty()) {
            synchronized(codec) { greeting.forEach { encode(it, out) } }
            writeOut()
        }
        // The writer takes from the pipe only while it holds the turn; it waits on the pipe's signal (see
        // Pipe.forConnectionOut) or a kick (protocol output, a sender handing the turn back).
        val pipe = peer.out
        val written = checkNotNull(peer.outWritten) { "a stream peer without its out signal" }
        while (true) {
            val first = pipe.tryReceive()
            if (first == null) {
                if (pipe.isClosedForReceive) break
                val wake = written.arm()
                // A message or close that came before the arm fired nobody: look again before waiting.
                if (!pipe.isEmpty || pipe.isClosedForSend) continue
                // Idle only when nothing a sender passed on is untaken: one that is queueing now wakes us.
                if (direct && peer.unwritten.get() == 0 && directOut.size == 0) turn.set(TURN_IDLE)
                select<Unit> {
                    wake.onAwait {}
                    kick.onReceive {}
                }
                if (direct) acquireTurn()
                // Protocol output (a PONG) or a direct write's rest may be due with nothing queued.
                if (pipe.isEmpty) {
                    synchronized(codec) { codec.drainOutput(out) }
                    writeOut()
                }
                continue
            }
            var took = 1
            synchronized(codec) {
                codec.drainOutput(out)
                encode(first, out)
                while (out.size < BATCH_BYTES) {
                    val next = pipe.tryReceive() ?: break
                    encode(next, out)
                    took++
                }
            }
            // Taken while holding the turn: a sender may write directly again once the count is back to zero.
            if (peer.countsUnwritten) peer.unwritten.addAndGet(-took)
            peer.tookFromOut(took)
            writeOut()
        }
        // The socket closed this pipe (close with linger, or disconnect) and everything queued is written: done.
        synchronized(codec) { codec.drainOutput(out) }
        writeOut()
        peer.isConnected = false
        stream.close()
    }

    private fun encode(message: Message, into: OutputBuffer) {
        if (socket.sendsSubscriptions && SocketBehaviour.isSubscriptionMessage(message)) {
            val bytes = message.first().toByteArray()
            codec.encodeSubscription(bytes.copyOfRange(1, bytes.size), bytes[0] == 1.toByte(), into)
        } else {
            codec.encodeMessage(message, into)
        }
    }

    private suspend fun timerLoop() {
        while (true) {
            val deadline = synchronized(codec) { codec.pollTimeout().also { timerWaitsFor = it ?: Long.MAX_VALUE } }
            if (deadline == null) {
                timerKick.receive()
                continue
            }
            val wait = deadline - now()
            if (wait > 0) {
                select<Unit> {
                    timerKick.onReceive {}
                    onTimeout(wait) {}
                }
            }
            val due = synchronized(codec) {
                if (now() >= deadline) codec.handleTimeout(now())
                codec.hasPendingOutput() || codec.isFailed
            }
            if (due) kick.trySend(Unit)
            if (synchronized(codec) { codec.isFailed }) {
                // Closing the stream ends the reader's read; run() then picks the Failed event up.
                stream.close()
                return
            }
        }
    }

    private suspend fun flushProtocolOutput() {
        synchronized(codec) { codec.drainOutput(out) }
        writeOut()
    }

    /** Writes [out], after what a sender's direct write left in [directOut]. Only the turn's holder calls this. */
    private suspend fun writeOut() {
        if (directOut.size > 0) {
            stream.write(directOut.array, 0, directOut.size)
            directOut.clear()
        }
        if (out.size == 0) return
        stream.write(out.array, 0, out.size)
        out.clear()
    }

    private fun now(): Long = System.nanoTime() / 1_000_000

    companion object {
        /** Bytes gathered before one write (libzmq batches 8 KiB; larger batches win for small messages here). */
        const val BATCH_BYTES = 64 * 1024

        /** Bytes asked for in one read. */
        const val READ_BYTES = 64 * 1024

        /** The most bytes read on after a full read before the socket's readers are woken. */
        const val WAKE_AFTER_BYTES = 4 * READ_BYTES

        /** The most messages queued after a full read before the socket's readers are woken. */
        const val WAKE_AFTER_MESSAGES = 256

        private const val TIMED_OUT = -2

        /** The longest wait for a ZAP reply when no handshake deadline is armed. */
        private const val ZAP_TIMEOUT_MILLIS = 30_000L

        /** The IP address (libzmq's ZAP "Address": no scheme, no port) of `tcp://host:port`; ipc paths stay whole. */
        fun hostOf(remote: String): String {
            if (!remote.startsWith("tcp://")) return remote.substringAfter("://")
            val hostPort = remote.removePrefix("tcp://")
            val host = hostPort.substringBeforeLast(':')
            return host.removePrefix("[").removeSuffix("]")
        }

        private val EMPTY = ByteArray(0)

        private const val TURN_WRITER = 0
        private const val TURN_IDLE = 1
        private const val TURN_SENDER = 2
    }
}
