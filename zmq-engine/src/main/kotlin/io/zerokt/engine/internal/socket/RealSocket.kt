package io.zerokt.engine.internal.socket

import io.zerokt.*
import io.zerokt.engine.internal.RealContext
import io.zerokt.engine.internal.connection.Endpoint
import io.zerokt.engine.internal.connection.EndpointHandle
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.consumeAsFlow
import kotlinx.coroutines.flow.onCompletion
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull
import org.slf4j.LoggerFactory
import kotlinx.coroutines.selects.SelectClause1
import java.lang.invoke.VarHandle
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicReference

/**
 * The engine's socket: options, endpoints, the set of attached peers, monitor, and close; the type's rules live
 * in its [SocketBehaviour].
 *
 * The hot path does not go through any mailbox: [send] and [receive] go straight to the behaviour, which moves
 * messages in and out of the peers' pipes with non-suspending fast paths and a `select` slow path. Control
 * changes (peers attached and detached) swap copy-on-write arrays under [lock] and complete [peersChanged] so
 * that a waiting sender or receiver looks again.
 */
internal class RealSocket(val context: RealContext, override val type: SocketType) : Socket {
    val options = Options(type)
    val job: Job = SupervisorJob(context.job)
    val scope = CoroutineScope(job + context.dispatcher + CoroutineName("zkt-$type"))
    private val behaviour: SocketBehaviour = SocketBehaviour.create(type, this)
    private val sendLock = CallLock()
    private val receiveLock = CallLock()
    val lock = Any()

    /** Peers that may be sent to. */
    @Volatile var peers: Array<Peer> = emptyArray()
        private set

    /** Peers whose incoming pipe may still hold messages (attached, or detached and not yet drained). */
    @Volatile var readable: Array<Peer> = emptyArray()
        private set

    /** Completed (and replaced) whenever [peers] or [readable] change. */
    @Volatile var peersChanged = CompletableDeferred<Unit>()
        private set

    @Volatile var isClosed = false
        private set

    /** Completed when the socket closes: wakes every waiting call. */
    val closeSignal = CompletableDeferred<Unit>()

    /** Fired after anything that may make a receive succeed: a message queued, a peer change, close. */
    val readSignal = ReadinessSignal()

    /** Fired after anything that may make a send succeed: room made in an out pipe, a peer change, close. */
    val writeSignal = ReadinessSignal()

    private val monitors = CopyOnWriteArrayList<Channel<MonitorEvent>>()
    private val engineFallbackReported = java.util.concurrent.atomic.AtomicBoolean()

    /** True the first time only: an engine fallback is reported once per socket. */
    fun markEngineFallbackReported(): Boolean = engineFallbackReported.compareAndSet(false, true)
    private val endpoints = LinkedHashMap<String, EndpointHandle>()

    /** Runs from [close] until the socket is gone (the context's close waits for it). */
    @Volatile var lingerJob: Job? = null
        private set

    @Volatile override var lastEndpoint: String? = null
        private set

    // --- messages -----------------------------------------------------------------------------------------------

    override suspend fun send(message: Message) {
        checkOpen()
        sendLock.withLock { behaviour.send(message, options.sendTimeout) }
        afterSend()
    }

    override fun trySend(message: Message): Boolean {
        checkOpen()
        if (!sendLock.tryLock()) return false
        val sent = try {
            behaviour.trySend(message)
        } finally {
            sendLock.unlock()
        }
        if (sent) afterSend()
        return sent
    }

    override suspend fun receive(): Message {
        checkOpen()
        val message = receiveLock.withLock { takeReturned() ?: behaviour.receive(options.receiveTimeout) }
        writeSignal.fire()
        return message
    }

    override fun tryReceive(): Message? {
        checkOpen()
        if (!receiveLock.tryLock()) return null
        val message = try {
            takeReturned() ?: behaviour.tryReceive()
        } finally {
            receiveLock.unlock()
        }
        // A receive can make a send possible (REQ got its reply, an inproc sender got room).
        if (message != null) writeSignal.fire()
        return message
    }

    // --- select (onReceive) -----------------------------------------------------------------------------------

    private val receiveClause = ReceiveClause(this)

    override val onReceive: SelectClause1<Message> get() = receiveClause.clause

    /** A message a losing `select` took and gave back: the next receive returns it first. */
    private val returned = AtomicReference<Message?>(null)

    /** True when a given-back message waits (it makes the socket readable). */
    private val hasReturned: Boolean get() = returned.get() != null

    /**
     * True when a receive would return a message at once (`ZMQ_POLLIN`). Exact, as libzmq's `has_in`: the next
     * message is taken and held for the next receive, so what a type discards on receive (a SUB's unsubscribed
     * topics, a REQ's stale replies) does not count. While another receive holds the lock, the queues' state
     * answers instead.
     */
    private fun readableNow(): Boolean {
        if (hasReturned) return true
        if (!behaviour.canReceiveNow()) return false
        if (!receiveLock.tryLock()) return true
        try {
            if (hasReturned) return true
            giveBack(behaviour.tryReceive() ?: return false)
            return true
        } catch (e: ZmqException) {
            return true // a receive now would fail at once: not a wait
        } finally {
            receiveLock.unlock()
        }
    }

    /** Holds [message], just taken, for the next receive (under the receive lock), undoing what taking it did. */
    private fun giveBack(message: Message) {
        returned.set(message)
        behaviour.onGiveBack()
    }

    private fun takeReturned(): Message? =
        if (returned.get() == null) null else returned.getAndSet(null)?.also { behaviour.onTakeBack() }

    /** Forgets a given-back message (a REQ_RELAXED request makes the old reply stale). */
    fun dropReturned() {
        returned.set(null)
    }

    /**
     * For [ReceiveClause]: takes the next message (or the failure a receive would throw) under the receive lock
     * and [offer]s it; a message the offer refuses is given back, in front of every other. Returns false when
     * there was nothing to take, null when another receive holds the lock.
     */
    fun tryOfferNext(offer: (Any) -> Boolean): Boolean? = if (receiveLock.tryLock()) offerLocked(offer) else null

    /** [tryOfferNext], waiting for the receive lock. */
    suspend fun offerNext(offer: (Any) -> Boolean): Boolean {
        receiveLock.lock()
        return offerLocked(offer)
    }

    /** The body of [tryOfferNext]: the receive lock is held, and released here. */
    private fun offerLocked(offer: (Any) -> Boolean): Boolean {
        var taken = false
        var gaveBack = false
        try {
            val next: Any = try {
                checkOpen()
                takeReturned() ?: behaviour.tryReceive() ?: return false
            } catch (e: ZmqException) {
                ReceiveClause.Failure(e)
            }
            if (offer(next)) {
                taken = next is Message
            } else if (next is Message) {
                giveBack(next)
                gaveBack = true
            }
        } finally {
            receiveLock.unlock()
        }
        if (taken) writeSignal.fire()
        if (gaveBack) readSignal.fire()
        return true
    }

    /** Wakes whoever a send may have made readable: this socket (REP may receive again) and inproc peers' sockets. */
    private fun afterSend() {
        readSignal.fire()
        for (peer in peers) {
            val other = peer.counterpart ?: continue
            // An inproc pipe (SpscPipe) publishes with a release store: fence before reading the reader's waiter.
            VarHandle.fullFence()
            other.owner?.readSignal?.fire()
        }
    }

    override suspend fun awaitReadable() {
        while (true) {
            val wake = readSignal.arm()
            checkOpen()
            if (readableNow()) return
            wake.await()
        }
    }

    override suspend fun awaitWritable() {
        while (true) {
            val wake = writeSignal.arm()
            checkOpen()
            if (behaviour.canSendNow()) return
            wake.await()
        }
    }

    // --- endpoints ----------------------------------------------------------------------------------------------

    override suspend fun bind(endpoint: String) {
        checkOpen()
        val parsed = Endpoint.parse(endpoint)
        val handle = try {
            context.binder(parsed).bind(this, parsed)
        } catch (e: ZmqException) {
            emit(MonitorEvent(MonitorEventType.BIND_FAILED, endpoint, e.errorCode.toLong(), reason = e.message))
            throw e
        }
        synchronized(lock) { endpoints[handle.resolved] = handle }
        lastEndpoint = handle.resolved
        emit(MonitorEvent(MonitorEventType.LISTENING, handle.resolved))
    }

    override suspend fun unbind(endpoint: String) {
        checkOpen()
        // Either the resolved endpoint (lastEndpoint) or the one asked for (`tcp://127.0.0.1:*`) names a bind.
        val handle = synchronized(lock) {
            val key = endpoints.entries.firstOrNull { (key, h) -> h.isBind && (key == endpoint || h.requested == endpoint) }?.key
            key?.let { endpoints.remove(it) }
        }
        if (handle == null) {
            val connected = synchronized(lock) { endpoints[endpoint] != null }
            throw ZmqException(ZmqError.ENOENT, if (connected) "not bound to $endpoint (it is connected)" else "not bound to $endpoint")
        }
        handle.close()
    }

    override suspend fun connect(endpoint: String) {
        checkOpen()
        val parsed = Endpoint.parse(endpoint)
        val handle = context.binder(parsed).connect(this, parsed)
        synchronized(lock) { endpoints[endpoint] = handle }
    }

    override suspend fun disconnect(endpoint: String) {
        checkOpen()
        val handle = synchronized(lock) {
            val h = endpoints[endpoint]
            if (h != null && !h.isBind) endpoints.remove(endpoint) else null
        } ?: throw ZmqException(ZmqError.ENOENT, "not connected to $endpoint")
        handle.close()
    }

    // --- peers (called by transports and connections) -----------------------------------------------------------

    /** Makes [peer] eligible for sending and receiving; returns false when the type refuses it (then it is not attached). */
    fun attach(peer: Peer): Boolean {
        synchronized(lock) {
            if (isClosed) return false
            if (!behaviour.onAttach(peer)) return false
            behaviour.queueFirst(peer)
            peers = peers + peer
            if (peer !in readable) readable = readable + peer
            signalPeersChanged()
        }
        behaviour.afterAttach(peer)
        return true
    }

    /**
     * Removes [peer] from sending; its incoming pipe stays readable until drained. Closes its outgoing pipe
     * (messages not yet written are dropped, as libzmq drops a dead pipe's queue) and its incoming pipe for writing.
     */
    fun detach(peer: Peer) {
        synchronized(lock) {
            if (peer !in peers) return
            peers = peers.filter { it !== peer }.toTypedArray()
            behaviour.onDetach(peer)
            signalPeersChanged()
        }
        peer.out.close()
        peer.incoming.close()
        peer.onDetach?.invoke()
        peer.counterpart?.let { other -> other.owner?.detach(other) }
    }

    /** Forgets a detached peer whose incoming pipe is drained and closed. */
    fun dropReadable(peer: Peer) {
        synchronized(lock) {
            if (peer in readable) {
                readable = readable.filter { it !== peer }.toTypedArray()
                signalPeersChanged()
            }
        }
    }

    private fun signalPeersChanged() {
        val old = peersChanged
        peersChanged = CompletableDeferred()
        old.complete(Unit)
        readSignal.fire()
        writeSignal.fire()
    }

    /** Where a connection hands a message from its peer: the type decides (queue it, or read a subscription from it). */
    suspend fun deliver(peer: Peer, message: Message) {
        behaviour.onPeerMessage(peer, message)
        wakeReaders()
    }

    /**
     * [deliver] without suspending and without waking the socket's readers, or false (nothing delivered) when the
     * pipe is full. A connection tries this first: the suspending [deliver] costs a continuation object per message
     * even when it never waits. It calls [wakeReaders] once after the messages of one read (libzmq's session flushes
     * its pipe once per `in_event`): woken at the first message, a receiver on the same core would take it, find the
     * pipe empty and sleep again, once per message.
     */
    fun tryDeliverQuietly(peer: Peer, message: Message): Boolean = behaviour.tryOnPeerMessage(peer, message)

    /**
     * Wakes the socket's readers after [tryDeliverQuietly]. The fence orders the queueing stores before reading the
     * signal's waiter: an [SpscPipe] publishes with release stores only, and a reader arms the signal, then looks.
     */
    fun wakeReaders() {
        VarHandle.fullFence()
        readSignal.fire()
    }

    /** Where a connection hands a SUBSCRIBE or CANCEL command from its peer. */
    fun deliverSubscription(peer: Peer, topic: ByteArray, subscribe: Boolean) {
        behaviour.onPeerSubscription(peer, topic, subscribe)
        readSignal.fire()
    }

    /** Messages a fresh connection must send first (a SUB's subscriptions). */
    fun greetingMessages(peer: Peer): List<Message> = behaviour.greetingMessages(peer)

    /** True when messages from the socket to peers of this type are subscriptions to be encoded as commands. */
    val sendsSubscriptions: Boolean get() = type == SocketType.SUB || type == SocketType.XSUB

    /** True when this type attaches connect-side peers only once their handshake is done. */
    val attachesOnHandshake: Boolean
        get() = options.immediate || type == SocketType.ROUTER || type == SocketType.SUB || type == SocketType.XSUB ||
            type == SocketType.PUB || type == SocketType.XPUB

    // --- options ------------------------------------------------------------------------------------------------

    override fun setOption(option: Int, value: Int) {
        checkOpen()
        if (option == ZMQ_SUBSCRIBE || option == ZMQ_UNSUBSCRIBE) throw ZmqException(ZmqError.EINVAL, "option $option takes a byte array")
        if (!options.setInt(option, value)) throw ZmqException(ZmqError.EINVAL, "socket option $option is not an integer option")
    }

    override fun setOption(option: Int, value: Long) {
        checkOpen()
        if (option == ZMQ_MAXMSGSIZE) {
            if (value < -1) throw ZmqException(ZmqError.EINVAL, "ZMQ_MAXMSGSIZE must be >= -1, was $value")
            options.maxMessageSize = value
        } else if (option == ZMQ_AFFINITY) {
            options.affinity = value
        } else if (value in Int.MIN_VALUE..Int.MAX_VALUE) {
            setOption(option, value.toInt())
        } else {
            throw ZmqException(ZmqError.EINVAL, "socket option $option: value $value out of range")
        }
    }

    override fun setOption(option: Int, value: ByteArray) {
        checkOpen()
        when (option) {
            ZMQ_SUBSCRIBE, ZMQ_UNSUBSCRIBE -> behaviour.setSubscription(value.copyOf(), option == ZMQ_SUBSCRIBE)
            else -> if (!options.setBytes(option, value)) {
                if (value.size == 4 || value.size == 8) {
                    // libzmq takes integer options as native-endian binary values; accept that form too.
                    val buf = java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.nativeOrder())
                    if (value.size == 4) setOption(option, buf.int) else setOption(option, buf.long)
                } else {
                    throw ZmqException(ZmqError.EINVAL, "socket option $option is not a binary option")
                }
            }
        }
    }

    override fun getOption(option: Int): Any? {
        checkOpen()
        return when (option) {
            ZMQ_LAST_ENDPOINT -> lastEndpoint ?: ""
            ZMQ_EVENTS -> (if (readableNow()) ZMQ_POLLIN else 0) or (if (behaviour.canSendNow()) ZMQ_POLLOUT else 0)
            else -> options.get(option)
        }
    }

    // --- monitor ------------------------------------------------------------------------------------------------

    override fun monitor(): Flow<MonitorEvent> {
        val channel = Channel<MonitorEvent>(10_000, BufferOverflow.DROP_OLDEST)
        monitors.add(channel)
        if (isClosed) channel.close()
        return channel.consumeAsFlow().onCompletion { monitors.remove(channel) }
    }

    /** Reports [event] to every monitor. */
    fun emit(event: MonitorEvent) {
        for (m in monitors) m.trySend(event)
    }

    // --- close --------------------------------------------------------------------------------------------------

    fun checkOpen() {
        if (isClosed) throw closedException()
    }

    fun closedException(): ZmqException =
        if (context.isClosed) ZmqException(ZmqError.ETERM, "the context was closed") else ZmqException(ZmqError.ENOTSOCK, "the socket was closed")

    override fun close() {
        val handles: List<EndpointHandle>
        synchronized(lock) {
            if (isClosed) return
            isClosed = true
            handles = endpoints.values.toList()
            endpoints.clear()
        }
        closeSignal.complete(Unit)
        readSignal.fire()
        writeSignal.fire()
        handles.filter { it.isBind }.forEach { it.stopAccepting() }
        val lingering = peers.toList()
        // Closing each outgoing pipe lets its writer send what is queued and then end the connection.
        lingering.forEach { it.out.close() }
        lingering.forEach { p -> p.counterpart?.let { other -> other.owner?.detach(other) } }
        context.socketClosing(this)
        launchLinger(handles, lingering)
    }

    private fun launchLinger(handles: List<EndpointHandle>, lingering: List<Peer>) {
        lingerJob = context.scope.launch {
            val linger = options.linger
            if (linger != 0) {
                val wait: suspend () -> Unit = {
                    // A stream peer is done once its writer has drained the closed pipe and written it out; one
                    // still (re)connecting keeps its queue until it connects, unless it was detached meanwhile
                    // (its queue is dropped then). Inproc pipes are the other socket's to drain.
                    while (lingering.any { it.counterpart == null && (it.isConnected || (!it.out.isClosedForReceive && it in peers)) }) {
                        kotlinx.coroutines.delay(5)
                    }
                }
                if (linger < 0) wait() else withTimeoutOrNull(linger.toLong()) { wait() }
            }
            handles.forEach { it.close() }
            for (m in monitors) {
                m.trySend(MonitorEvent(MonitorEventType.MONITOR_STOPPED, ""))
                m.close()
            }
            job.cancel()
            job.join()
            context.socketClosed(this@RealSocket)
        }
    }

    override fun toString(): String = "Socket($type)"

    companion object {
        val log = LoggerFactory.getLogger("io.zerokt.engine")
    }
}

