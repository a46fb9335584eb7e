package io.zerokt.java

import io.zerokt.Context
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.MonitorEvent
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.ZMQ_EVENTS
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import java.util.concurrent.Flow
import java.util.concurrent.locks.ReentrantLock

/**
 * A ZeroMQ socket for Java code that blocks the calling thread, as JeroMQ's `ZMQ.Socket` and libzmq's calls do,
 * over the same engine as the Kotlin [Socket] (it wraps one).
 *
 * ```java
 * try (Context ctx = ZeroKt.context();
 *      BlockingSocket rep = new BlockingSocket(ctx, SocketType.REP)) {
 *     rep.bind("tcp://127.0.0.1:5555");
 *     String request = rep.recvStr();
 *     rep.send("World");
 * }
 * ```
 *
 * ## Blocking and timeouts
 * [send] blocks while the message cannot be queued and [recv] until a message arrives, up to SNDTIMEO/RCVTIMEO
 * ([setSendTimeout], [setReceiveTimeout]); when the timeout expires they throw [ZmqException] `EAGAIN`.
 * [trySend] and [tryRecv] never block (libzmq's `ZMQ_DONTWAIT`).
 *
 * ## Interrupts
 * `Thread.interrupt()` on a thread blocked in a call here ends the call promptly with [ZmqException] `EINTR` and
 * sets the thread's interrupt flag again (clear it with `Thread.interrupted()` to carry on). An interrupted send
 * has queued nothing and an interrupted receive has taken nothing, so the socket stays usable and no message is
 * lost or duplicated. A call that does not need to wait ignores the interrupt flag.
 *
 * ## Threads
 * Unlike a libzmq socket, this one may be used from several threads: sends are serialised with each other and
 * receives with each other (a send and a receive may run at the same time). Multipart state ([sendMore],
 * [hasReceiveMore]) is per socket, so a thread that builds a message frame by frame should own the sending side
 * meanwhile, as in libzmq.
 *
 * ## Closing
 * [close] is idempotent; pending messages keep going out for up to LINGER ms. Closing the socket or its context
 * wakes blocked threads with `ENOTSOCK` or `ETERM`.
 */
public class BlockingSocket(
    /** The wrapped socket (a Kotlin API). */
    internal val socket: Socket,
) : AutoCloseable {
    /** Creates a socket of [type] in [context] (`zmq_socket`). */
    public constructor(context: Context, type: SocketType) : this(context.socket(type))

    private val sendLock = ReentrantLock()
    private val receiveLock = ReentrantLock()
    private val pendingFrames = ArrayList<Frame>()
    private var received: Message? = null
    private var receivedNext = 0

    /** This socket's type. */
    public val type: SocketType get() = socket.type

    /** The endpoint last bound, with wildcards resolved (`ZMQ_LAST_ENDPOINT`), or null. */
    public val lastEndpoint: String? get() = socket.lastEndpoint

    // --- endpoints ----------------------------------------------------------------------------------------------

    /** Binds to [endpoint] (`zmq_bind`): `tcp://host:port` (a `*` or 0 port picks a free one), `ipc://`, `inproc://`. */
    public fun bind(endpoint: String) {
        run("bind") { socket.bind(endpoint) }
    }

    /** Connects to [endpoint] (`zmq_connect`); the connection is made, and re-made, in the background. */
    public fun connect(endpoint: String) {
        run("connect") { socket.connect(endpoint) }
    }

    /** Stops listening on [endpoint] (`zmq_unbind`); `ENOENT` if not bound. */
    public fun unbind(endpoint: String) {
        run("unbind") { socket.unbind(endpoint) }
    }

    /** Stops connecting to [endpoint] (`zmq_disconnect`); `ENOENT` if not connected. */
    public fun disconnect(endpoint: String) {
        run("disconnect") { socket.disconnect(endpoint) }
    }

    // --- sending ------------------------------------------------------------------------------------------------

    /** Sends [data] as the last (or only) frame of a message, blocking while it cannot be queued. */
    public fun send(data: ByteArray) {
        send(Frame.of(data))
    }

    /** Sends [text] as UTF-8, as the last (or only) frame of a message. */
    public fun send(text: String) {
        send(Frame.of(text))
    }

    /** Sends the whole multipart [message] (after any frames given to [sendMore], which go first). */
    public fun send(message: Message) {
        lock(sendLock, "send")
        try {
            sendWhole(withPending(message))
        } finally {
            sendLock.unlock()
        }
    }

    /** Adds [data] as a frame of the message being built; the next [send] sends it (`ZMQ_SNDMORE`). */
    public fun sendMore(data: ByteArray) {
        addPending(Frame.of(data))
    }

    /** Adds [text] (UTF-8) as a frame of the message being built; the next [send] sends it (`ZMQ_SNDMORE`). */
    public fun sendMore(text: String) {
        addPending(Frame.of(text))
    }

    /** Queues [data] (as the last frame) without blocking; false when it would have to wait (libzmq's EAGAIN). */
    public fun trySend(data: ByteArray): Boolean = trySend(Message.of(Frame.of(data)))

    /** Queues [text] (as the last frame) without blocking; false when it would have to wait. */
    public fun trySend(text: String): Boolean = trySend(Message.of(Frame.of(text)))

    /**
     * Queues [message] (after any [sendMore] frames) without blocking; false when it would have to wait, and
     * then the [sendMore] frames stay pending.
     */
    public fun trySend(message: Message): Boolean {
        lock(sendLock, "send")
        try {
            val whole = withPending(message)
            if (!socket.trySend(whole)) return false
            pendingFrames.clear()
            return true
        } finally {
            sendLock.unlock()
        }
    }

    private fun send(last: Frame) {
        lock(sendLock, "send")
        try {
            sendWhole(withPending(Message.of(last)))
        } finally {
            sendLock.unlock()
        }
    }

    private fun addPending(frame: Frame) {
        lock(sendLock, "send")
        try {
            pendingFrames.add(frame)
        } finally {
            sendLock.unlock()
        }
    }

    private fun withPending(message: Message): Message {
        if (pendingFrames.isEmpty()) return message
        return Message.wrap(ArrayList<Frame>(pendingFrames.size + message.size).apply { addAll(pendingFrames); addAll(message.frames) })
    }

    /** Sends [message] under [sendLock]: the non-blocking path first, then a blocking wait. */
    private fun sendWhole(message: Message) {
        if (!trySendSpinning(message)) run("send") { socket.send(message) }
        pendingFrames.clear()
    }

    // --- receiving ----------------------------------------------------------------------------------------------

    /**
     * Receives the next frame (`zmq_recv`): the first frame of the next message, or the next frame of a message
     * whose earlier frames were read here ([hasReceiveMore] tells which). Blocks until one arrives.
     */
    public fun recv(): ByteArray = nextFrame(blocking = true)!!.toByteArray()

    /** [recv] decoded as UTF-8. */
    public fun recvStr(): String = nextFrame(blocking = true)!!.decodeToString()

    /** Receives a whole message (or, after [recv] read part of one, the rest of it). Blocks until one arrives. */
    public fun recvMsg(): Message {
        lock(receiveLock, "recv")
        try {
            restOfReceived()?.let { return it }
            return tryReceiveSpinning() ?: run("recv") { socket.receive() }
        } finally {
            receiveLock.unlock()
        }
    }

    /** [recv] without blocking: null when no message is waiting. */
    public fun tryRecv(): ByteArray? = nextFrame(blocking = false)?.toByteArray()

    /** [recvStr] without blocking: null when no message is waiting. */
    public fun tryRecvStr(): String? = nextFrame(blocking = false)?.decodeToString()

    /** [recvMsg] without blocking: null when no message is waiting. */
    public fun tryRecvMsg(): Message? {
        lock(receiveLock, "recv")
        try {
            return restOfReceived() ?: socket.tryReceive()
        } finally {
            receiveLock.unlock()
        }
    }

    /** True when the last [recv] returned a frame that has more frames after it (`ZMQ_RCVMORE`). */
    public fun hasReceiveMore(): Boolean {
        lock(receiveLock, "recv")
        try {
            val m = received ?: return false
            return receivedNext < m.size
        } finally {
            receiveLock.unlock()
        }
    }

    private fun nextFrame(blocking: Boolean): Frame? {
        lock(receiveLock, "recv")
        try {
            val current = received
            if (current != null && receivedNext < current.size) {
                val frame = current[receivedNext++]
                if (receivedNext == current.size) received = null
                return frame
            }
            val message = (if (blocking) tryReceiveSpinning() else socket.tryReceive())
                ?: if (blocking) run("recv") { socket.receive() } else return null
            if (message.size > 1) {
                received = message
                receivedNext = 1
            } else {
                received = null
            }
            return message.first()
        } finally {
            receiveLock.unlock()
        }
    }

    private fun restOfReceived(): Message? {
        val current = received ?: return null
        received = null
        return if (receivedNext == 0) current else current.drop(receivedNext)
    }

    // --- options ------------------------------------------------------------------------------------------------

    /** Sets integer option [option] by libzmq id, e.g. `setOption(Zmq.ZMQ_SNDHWM, 1000)`; `EINVAL` when unknown. */
    public fun setOption(option: Int, value: Int): Unit = socket.setOption(option, value)

    /** Sets a 64-bit option by libzmq id (e.g. `ZMQ_MAXMSGSIZE`). */
    public fun setOption(option: Int, value: Long): Unit = socket.setOption(option, value)

    /** Sets a binary option by libzmq id (e.g. `ZMQ_ROUTING_ID`, `ZMQ_SUBSCRIBE`). */
    public fun setOption(option: Int, value: ByteArray): Unit = socket.setOption(option, value)

    /** Sets a string option by libzmq id, as UTF-8. */
    public fun setOption(option: Int, value: String): Unit = socket.setOption(option, value)

    /** Sets a boolean option by libzmq id (1 or 0). */
    public fun setOption(option: Int, value: Boolean): Unit = socket.setOption(option, value)

    /** Reads an option by libzmq id: an `Integer`, a `Long`, a `byte[]` or a `String`. */
    public fun getOption(option: Int): Any? = socket.getOption(option)

    /** Reads an integer option by libzmq id. */
    public fun getIntOption(option: Int): Int = socket.getIntOption(option)

    /** `ZMQ_EVENTS`: `ZMQ_POLLIN` and/or `ZMQ_POLLOUT` when a receive or a send would not block now. */
    public val events: Int get() = socket.getIntOption(ZMQ_EVENTS)

    /** Subscribes to messages starting with [topic] (SUB, `ZMQ_SUBSCRIBE`); empty matches everything. */
    public fun subscribe(topic: ByteArray): Unit = socket.subscribe(topic)

    /** Subscribes to messages starting with [topic] as UTF-8. */
    public fun subscribe(topic: String): Unit = socket.subscribe(topic)

    /** Removes one subscription to [topic] (`ZMQ_UNSUBSCRIBE`). */
    public fun unsubscribe(topic: ByteArray): Unit = socket.unsubscribe(topic)

    /** Removes one subscription to [topic] as UTF-8. */
    public fun unsubscribe(topic: String): Unit = socket.unsubscribe(topic)

    /** `ZMQ_SNDHWM`, default 1000. */
    public var sendHighWaterMark: Int by socket::sendHighWaterMark

    /** `ZMQ_RCVHWM`, default 1000. */
    public var receiveHighWaterMark: Int by socket::receiveHighWaterMark

    /** `ZMQ_SNDTIMEO` in ms: -1 blocks forever (default), 0 fails at once, else `EAGAIN` after that long. */
    public var sendTimeout: Int by socket::sendTimeout

    /** `ZMQ_RCVTIMEO` in ms: -1 blocks forever (default), 0 fails at once, else `EAGAIN` after that long. */
    public var receiveTimeout: Int by socket::receiveTimeout

    /** `ZMQ_LINGER` in ms, default -1. */
    public var linger: Int by socket::linger

    /** `ZMQ_ROUTING_ID`, or null. */
    public var routingId: ByteArray? by socket::routingId

    /** `ZMQ_RECONNECT_IVL` in ms, default 100. */
    public var reconnectInterval: Int by socket::reconnectInterval

    /** `ZMQ_ROUTER_MANDATORY`, default false. */
    public var routerMandatory: Boolean by socket::routerMandatory

    /** `ZMQ_IMMEDIATE`, default false. */
    public var immediate: Boolean by socket::immediate

    /** `ZMQ_CONFLATE`, default false. */
    public var conflate: Boolean by socket::conflate

    /** `ZMQ_MAXMSGSIZE` in bytes, default -1. */
    public var maxMessageSize: Long by socket::maxMessageSize

    // --- monitor and close --------------------------------------------------------------------------------------

    /**
     * This socket's monitor events (`zmq_socket_monitor`) as a `java.util.concurrent.Flow.Publisher`, from
     * each subscription on; see [MonitorPublisher].
     */
    public fun monitor(): Flow.Publisher<MonitorEvent> = MonitorPublisher(socket)

    /** Closes the socket (`zmq_close`); idempotent. Blocked threads wake with `ENOTSOCK`. */
    override fun close(): Unit = socket.close()

    override fun toString(): String = "BlockingSocket(${socket.type})"

    private companion object {
        /** Non-blocking attempts before a blocking call parks its thread (`io.zerokt.java.spinTries`, default 0). */
        val SPIN_TRIES: Int = Integer.getInteger("io.zerokt.java.spinTries", 0)
    }

    /**
     * [Socket.tryReceive], retried for a few microseconds before the caller parks: at high message rates the next
     * message is usually that close, and parking and waking a thread costs far more. Bounded, so an idle socket
     * costs nothing.
     */
    private fun tryReceiveSpinning(): Message? {
        for (i in 0 until SPIN_TRIES) {
            socket.tryReceive()?.let { return it }
            Thread.onSpinWait()
        }
        return socket.tryReceive()
    }

    /** [Socket.trySend], retried for a few microseconds before the caller parks (see [tryReceiveSpinning]). */
    private fun trySendSpinning(message: Message): Boolean {
        for (i in 0 until SPIN_TRIES) {
            if (socket.trySend(message)) return true
            Thread.onSpinWait()
        }
        return socket.trySend(message)
    }

    /** Takes [lock], letting an interrupt end the wait with `EINTR` (another thread may be blocked holding it). */
    private fun lock(lock: ReentrantLock, what: String) {
        try {
            lock.lockInterruptibly()
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            throw ZmqException(ZmqError.EINTR, "interrupted while waiting for another thread's $what on this socket", e)
        }
    }

    private fun <T> run(what: String, block: suspend () -> T): T {
        @Suppress("UNCHECKED_CAST")
        return blockingCall(what, -1, block) as T
    }
}
