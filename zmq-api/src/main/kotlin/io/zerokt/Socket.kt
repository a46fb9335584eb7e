package io.zerokt

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.selects.SelectClause1

/**
 * A ZeroMQ socket (libzmq's `void *socket` from `zmq_socket`): a suspend-function façade over the socket's actor.
 *
 * Get one from [Context.socket]. Bind or connect it to one or more endpoints (`tcp://`, `ipc://`, `inproc://`),
 * then [send] and [receive] whole [Message]s. The socket type decides where a message goes and where one comes
 * from (RFC 28–31): see [SocketType].
 *
 * ## Suspending and cancellation
 * [send] suspends while the message cannot be queued (every eligible peer is at its high-water mark, or, for
 * types that need one, no peer is there yet), up to [sendTimeout]. [receive] suspends until a message arrives, up
 * to [receiveTimeout]. Both are cancellable: a cancelled [send] has queued nothing and a cancelled [receive] has
 * taken nothing. [trySend] and [tryReceive] never suspend.
 *
 * ## Threads
 * A socket may be used from several coroutines and threads; concurrent sends (and concurrent receives) are
 * serialised. Each message is still atomic.
 *
 * ## Errors
 * Misuse throws [ZmqException]: `EFSM` for a REQ/REP call out of order, `EHOSTUNREACH` for a ROUTER_MANDATORY send
 * to an unknown peer, `EAGAIN` when a timeout expires, `ENOTSOCK` after [close], `ETERM` after the context closed,
 * `ENOTSUP` for an operation the type does not have (receive on a PUB). A peer that misbehaves never causes an
 * exception here: its connection is dropped and [monitor] says why.
 *
 * ## Closing
 * [close] is idempotent and returns at once; pending outgoing messages keep going out in the background for up to
 * [linger] ms (the context's close waits for that).
 */
public interface Socket : AutoCloseable {
    /** This socket's type. */
    public val type: SocketType

    /**
     * Sends [message], suspending while it cannot be queued. On return the message is queued for its peer(s)
     * (or, for types that drop, dropped by rule: PUB with no matching subscriber).
     */
    public suspend fun send(message: Message)

    /** Queues [message] without suspending; returns false when it would have to wait (libzmq's `ZMQ_DONTWAIT` / EAGAIN). Other failures throw [ZmqException]. */
    public fun trySend(message: Message): Boolean

    /** Receives the next message, suspending until one arrives or [receiveTimeout] expires (EAGAIN). */
    public suspend fun receive(): Message

    /** Takes the next message if one is waiting, else returns null. Failures other than "nothing there" throw [ZmqException]. */
    public fun tryReceive(): Message?

    /**
     * A `select` clause that receives the next message, so one coroutine can wait on several sockets, channels
     * and timeouts at once (what `zmq_poll` followed by `zmq_msg_recv` does):
     * ```kotlin
     * select {
     *     frontend.onReceive { msg -> backend.send(msg) }
     *     backend.onReceive { msg -> frontend.send(msg) }
     *     onTimeout(1_000) { heartbeat() }
     * }
     * ```
     * Only the clause that wins takes a message: a socket whose clause loses keeps its message for the next
     * receive, in order. [receiveTimeout] does not apply (use `onTimeout`). Errors a [receive] would throw
     * (`ENOTSOCK`, `ETERM`, `EFSM`) are thrown from the `select`.
     */
    public val onReceive: SelectClause1<Message>

    /**
     * Suspends until a receive could succeed without waiting (`ZMQ_POLLIN` in [ZMQ_EVENTS], what `zmq_poll` waits
     * for), without taking anything. Another receiver may still take the message first, so follow it with
     * [tryReceive] and wait again on null.
     *
     * ## Cancellation
     * Cancellable at any point; it consumes nothing, so cancelling it never loses a message.
     *
     * ## Errors
     * `ENOTSOCK` once the socket is closed, `ETERM` once its context is.
     */
    public suspend fun awaitReadable()

    /**
     * Suspends until a send could be queued without waiting (`ZMQ_POLLOUT` in [ZMQ_EVENTS]): some pipe the type
     * would use is below its high-water mark (PUSH, DEALER, REQ, PAIR), REQ/REP are in the sending state;
     * PUB, XPUB and ROUTER are always writable, as in libzmq. Sends nothing; cancellable; same errors as
     * [awaitReadable].
     */
    public suspend fun awaitWritable()

    /**
     * Starts listening on [endpoint] (`tcp://host:port` (a `*` host for every interface, a `*` or 0 port for an ephemeral one), `ipc:///path`, `ipc://@abstract`,
     * `inproc://name`). Returns once listening; [lastEndpoint] then holds the resolved endpoint. Throws
     * [ZmqException] with `EADDRINUSE`, `EINVAL` (malformed endpoint) or `EPROTONOSUPPORT`.
     */
    public suspend fun bind(endpoint: String)

    /** Stops listening on [endpoint] (as bound, or as resolved in [lastEndpoint]) and drops its connections; `ENOENT` if not bound. */
    public suspend fun unbind(endpoint: String)

    /**
     * Connects to [endpoint]. Returns at once; the connection is made in the background and re-made after a loss,
     * with backoff (RECONNECT_IVL up to RECONNECT_IVL_MAX). Messages may be queued for it before it is up (unless
     * [immediate]).
     */
    public suspend fun connect(endpoint: String)

    /** Stops connecting to [endpoint] and drops its connection; `ENOENT` if not connected. */
    public suspend fun disconnect(endpoint: String)

    /** The endpoint last bound, with a wildcard port or interface resolved (`ZMQ_LAST_ENDPOINT`), or null. */
    public val lastEndpoint: String?

    /**
     * A flow of this socket's monitor events (libzmq's `zmq_socket_monitor`), from the moment of the call on.
     * The flow is buffered and may be collected once; collect it in another coroutine. Events past a buffer
     * of 10,000 unread ones are dropped, oldest first.
     */
    public fun monitor(): Flow<MonitorEvent>

    /** Subscribes to messages starting with [topic] (SUB; `ZMQ_SUBSCRIBE`). The empty topic matches everything. */
    public fun subscribe(topic: ByteArray): Unit = setOption(ZMQ_SUBSCRIBE, topic)

    /** Subscribes to messages starting with [topic] as UTF-8. */
    public fun subscribe(topic: String): Unit = subscribe(topic.encodeToByteArray())

    /** Removes one subscription to [topic] (`ZMQ_UNSUBSCRIBE`). */
    public fun unsubscribe(topic: ByteArray): Unit = setOption(ZMQ_UNSUBSCRIBE, topic)

    /** Removes one subscription to [topic] as UTF-8. */
    public fun unsubscribe(topic: String): Unit = unsubscribe(topic.encodeToByteArray())

    /** Sets the integer option [option] (libzmq id, e.g. [ZMQ_SNDHWM]); `EINVAL` for an unknown id or a bad value. */
    public fun setOption(option: Int, value: Int)

    /** Sets the 64-bit option [option] (e.g. [ZMQ_MAXMSGSIZE]); integer options accept it when it fits. */
    public fun setOption(option: Int, value: Long)

    /** Sets a binary option [option] (e.g. [ZMQ_ROUTING_ID], [ZMQ_SUBSCRIBE]). */
    public fun setOption(option: Int, value: ByteArray)

    /** Sets a string option as UTF-8 bytes. */
    public fun setOption(option: Int, value: String): Unit = setOption(option, value.encodeToByteArray())

    /** Sets a boolean option (1 or 0). */
    public fun setOption(option: Int, value: Boolean): Unit = setOption(option, if (value) 1 else 0)

    /**
     * Reads option [option]: an [Int], a [Long] (MAXMSGSIZE), a [ByteArray] (binary options, or null when unset)
     * or a [String] (LAST_ENDPOINT). `EINVAL` for an unknown id.
     */
    public fun getOption(option: Int): Any?

    /** Reads an integer option. */
    public fun getIntOption(option: Int): Int = when (val v = getOption(option)) {
        is Int -> v
        is Long -> v.toInt()
        else -> throw ZmqException(ZmqError.EINVAL, "option $option is not an integer option")
    }

    /** `ZMQ_SNDHWM`, default 1000. */
    public var sendHighWaterMark: Int
        get() = getIntOption(ZMQ_SNDHWM)
        set(value) = setOption(ZMQ_SNDHWM, value)

    /** `ZMQ_RCVHWM`, default 1000. */
    public var receiveHighWaterMark: Int
        get() = getIntOption(ZMQ_RCVHWM)
        set(value) = setOption(ZMQ_RCVHWM, value)

    /** `ZMQ_SNDTIMEO` in ms, default -1 (wait forever). */
    public var sendTimeout: Int
        get() = getIntOption(ZMQ_SNDTIMEO)
        set(value) = setOption(ZMQ_SNDTIMEO, value)

    /** `ZMQ_RCVTIMEO` in ms, default -1 (wait forever). */
    public var receiveTimeout: Int
        get() = getIntOption(ZMQ_RCVTIMEO)
        set(value) = setOption(ZMQ_RCVTIMEO, value)

    /** `ZMQ_LINGER` in ms, default -1. */
    public var linger: Int
        get() = getIntOption(ZMQ_LINGER)
        set(value) = setOption(ZMQ_LINGER, value)

    /** `ZMQ_RECONNECT_IVL` in ms, default 100. */
    public var reconnectInterval: Int
        get() = getIntOption(ZMQ_RECONNECT_IVL)
        set(value) = setOption(ZMQ_RECONNECT_IVL, value)

    /** `ZMQ_RECONNECT_IVL_MAX` in ms, default 0. */
    public var reconnectIntervalMax: Int
        get() = getIntOption(ZMQ_RECONNECT_IVL_MAX)
        set(value) = setOption(ZMQ_RECONNECT_IVL_MAX, value)

    /** `ZMQ_HANDSHAKE_IVL` in ms, default 30000. */
    public var handshakeInterval: Int
        get() = getIntOption(ZMQ_HANDSHAKE_IVL)
        set(value) = setOption(ZMQ_HANDSHAKE_IVL, value)

    /** `ZMQ_CONNECT_TIMEOUT` in ms, default 0 (OS default). */
    public var connectTimeout: Int
        get() = getIntOption(ZMQ_CONNECT_TIMEOUT)
        set(value) = setOption(ZMQ_CONNECT_TIMEOUT, value)

    /** `ZMQ_MAXMSGSIZE` in bytes, default -1 (no limit). */
    public var maxMessageSize: Long
        get() = getOption(ZMQ_MAXMSGSIZE) as Long
        set(value) = setOption(ZMQ_MAXMSGSIZE, value)

    /** `ZMQ_HEARTBEAT_IVL` in ms, default 0 (off). */
    public var heartbeatInterval: Int
        get() = getIntOption(ZMQ_HEARTBEAT_IVL)
        set(value) = setOption(ZMQ_HEARTBEAT_IVL, value)

    /** `ZMQ_HEARTBEAT_TTL` in ms, default 0. */
    public var heartbeatTtl: Int
        get() = getIntOption(ZMQ_HEARTBEAT_TTL)
        set(value) = setOption(ZMQ_HEARTBEAT_TTL, value)

    /** `ZMQ_HEARTBEAT_TIMEOUT` in ms, default -1 (the heartbeat interval). */
    public var heartbeatTimeout: Int
        get() = getIntOption(ZMQ_HEARTBEAT_TIMEOUT)
        set(value) = setOption(ZMQ_HEARTBEAT_TIMEOUT, value)

    /** `ZMQ_ROUTING_ID`: this socket's routing id as its peers' ROUTERs will see it, or null. */
    public var routingId: ByteArray?
        get() = getOption(ZMQ_ROUTING_ID) as ByteArray?
        set(value) = setOption(ZMQ_ROUTING_ID, value ?: ByteArray(0))

    /** `ZMQ_CONNECT_ROUTING_ID`: the routing id a ROUTER gives the peer of its next [connect]. */
    public var connectRoutingId: ByteArray?
        get() = getOption(ZMQ_CONNECT_ROUTING_ID) as ByteArray?
        set(value) = setOption(ZMQ_CONNECT_ROUTING_ID, value ?: ByteArray(0))

    /** `ZMQ_ROUTER_MANDATORY`, default false. */
    public var routerMandatory: Boolean
        get() = getIntOption(ZMQ_ROUTER_MANDATORY) != 0
        set(value) = setOption(ZMQ_ROUTER_MANDATORY, value)

    /** `ZMQ_ROUTER_HANDOVER`, default false. */
    public var routerHandover: Boolean
        get() = getIntOption(ZMQ_ROUTER_HANDOVER) != 0
        set(value) = setOption(ZMQ_ROUTER_HANDOVER, value)

    /** `ZMQ_PROBE_ROUTER`, default false. */
    public var probeRouter: Boolean
        get() = getIntOption(ZMQ_PROBE_ROUTER) != 0
        set(value) = setOption(ZMQ_PROBE_ROUTER, value)

    /** `ZMQ_REQ_CORRELATE`, default false. */
    public var reqCorrelate: Boolean
        get() = getIntOption(ZMQ_REQ_CORRELATE) != 0
        set(value) = setOption(ZMQ_REQ_CORRELATE, value)

    /** `ZMQ_REQ_RELAXED`, default false. */
    public var reqRelaxed: Boolean
        get() = getIntOption(ZMQ_REQ_RELAXED) != 0
        set(value) = setOption(ZMQ_REQ_RELAXED, value)

    /** `ZMQ_INVERT_MATCHING`, default false. */
    public var invertMatching: Boolean
        get() = getIntOption(ZMQ_INVERT_MATCHING) != 0
        set(value) = setOption(ZMQ_INVERT_MATCHING, value)

    /** `ZMQ_XPUB_VERBOSE`, default false. */
    public var xpubVerbose: Boolean
        get() = getIntOption(ZMQ_XPUB_VERBOSE) != 0
        set(value) = setOption(ZMQ_XPUB_VERBOSE, value)

    /** `ZMQ_XPUB_VERBOSER`, default false. */
    public var xpubVerboser: Boolean
        get() = getIntOption(ZMQ_XPUB_VERBOSER) != 0
        set(value) = setOption(ZMQ_XPUB_VERBOSER, value)

    /** `ZMQ_XPUB_MANUAL`, default false. */
    public var xpubManual: Boolean
        get() = getIntOption(ZMQ_XPUB_MANUAL) != 0
        set(value) = setOption(ZMQ_XPUB_MANUAL, value)

    /** `ZMQ_XPUB_NODROP`, default false. */
    public var xpubNoDrop: Boolean
        get() = getIntOption(ZMQ_XPUB_NODROP) != 0
        set(value) = setOption(ZMQ_XPUB_NODROP, value)

    /** `ZMQ_XPUB_WELCOME_MSG`, default none. */
    public var xpubWelcomeMessage: ByteArray?
        get() = getOption(ZMQ_XPUB_WELCOME_MSG) as ByteArray?
        set(value) = setOption(ZMQ_XPUB_WELCOME_MSG, value ?: ByteArray(0))

    /** `ZMQ_CONFLATE`, default false. */
    public var conflate: Boolean
        get() = getIntOption(ZMQ_CONFLATE) != 0
        set(value) = setOption(ZMQ_CONFLATE, value)

    /** `ZMQ_IMMEDIATE`, default false. */
    public var immediate: Boolean
        get() = getIntOption(ZMQ_IMMEDIATE) != 0
        set(value) = setOption(ZMQ_IMMEDIATE, value)

    /** `ZMQ_IPV6`, default false. */
    public var ipv6: Boolean
        get() = getIntOption(ZMQ_IPV6) != 0
        set(value) = setOption(ZMQ_IPV6, value)

    /** [ZKT_IO_URING]: run this socket's tcp/ipc connections on the io_uring engine (Linux, `zmq-uring` jar), default false. */
    public var ioUring: Boolean
        get() = getIntOption(ZKT_IO_URING) != 0
        set(value) = setOption(ZKT_IO_URING, value)

    /** [ZKT_IO_URING_TCP_CORK]: cork while writes are in flight (io_uring engine), default false. */
    public var ioUringTcpCork: Boolean
        get() = getIntOption(ZKT_IO_URING_TCP_CORK) != 0
        set(value) = setOption(ZKT_IO_URING_TCP_CORK, value)

    /** [ZKT_IO_URING_SEND_ZC_THRESHOLD]: zero-copy send for writes of at least this many bytes (io_uring engine), default -1 (never). */
    public var ioUringSendZeroCopyThreshold: Int
        get() = getIntOption(ZKT_IO_URING_SEND_ZC_THRESHOLD)
        set(value) = setOption(ZKT_IO_URING_SEND_ZC_THRESHOLD, value)

    /** [ZKT_IO_URING_MULTISHOT]: multishot receives into the I/O thread's buffer group (io_uring engine), default false. */
    public var ioUringMultishot: Boolean
        get() = getIntOption(ZKT_IO_URING_MULTISHOT) != 0
        set(value) = setOption(ZKT_IO_URING_MULTISHOT, value)

    /** `ZMQ_PLAIN_SERVER`: be the PLAIN server (credentials checked by the ZAP handler); false goes back to NULL. */
    public var plainServer: Boolean
        get() = getIntOption(ZMQ_PLAIN_SERVER) != 0
        set(value) = setOption(ZMQ_PLAIN_SERVER, value)

    /** `ZMQ_PLAIN_USERNAME`: setting it makes this socket a PLAIN client (an empty one goes back to NULL). */
    public var plainUsername: String
        get() = getOption(ZMQ_PLAIN_USERNAME) as String
        set(value) = setOption(ZMQ_PLAIN_USERNAME, value)

    /** `ZMQ_PLAIN_PASSWORD`: setting it makes this socket a PLAIN client. */
    public var plainPassword: String
        get() = getOption(ZMQ_PLAIN_PASSWORD) as String
        set(value) = setOption(ZMQ_PLAIN_PASSWORD, value)

    /** `ZMQ_CURVE_SERVER`: be the CURVE server (needs [curveSecretKey]); false goes back to NULL. Needs `zmq-security`. */
    public var curveServer: Boolean
        get() = getIntOption(ZMQ_CURVE_SERVER) != 0
        set(value) = setOption(ZMQ_CURVE_SERVER, value)

    /** `ZMQ_CURVE_PUBLICKEY`: our long-term public key, 32 bytes (set also accepts 40 Z85 characters as bytes). */
    public var curvePublicKey: ByteArray?
        get() = getOption(ZMQ_CURVE_PUBLICKEY) as ByteArray?
        set(value) = setOption(ZMQ_CURVE_PUBLICKEY, value ?: ByteArray(0))

    /** `ZMQ_CURVE_SECRETKEY`: our long-term secret key, 32 bytes or 40 Z85 characters. */
    public var curveSecretKey: ByteArray?
        get() = getOption(ZMQ_CURVE_SECRETKEY) as ByteArray?
        set(value) = setOption(ZMQ_CURVE_SECRETKEY, value ?: ByteArray(0))

    /** `ZMQ_CURVE_SERVERKEY`: the server's public key; setting it makes this socket a CURVE client. */
    public var curveServerKey: ByteArray?
        get() = getOption(ZMQ_CURVE_SERVERKEY) as ByteArray?
        set(value) = setOption(ZMQ_CURVE_SERVERKEY, value ?: ByteArray(0))

    /** `ZMQ_ZAP_DOMAIN`: the domain sent in ZAP requests, default empty. */
    public var zapDomain: String
        get() = getOption(ZMQ_ZAP_DOMAIN) as String
        set(value) = setOption(ZMQ_ZAP_DOMAIN, value)

    /** `ZMQ_ZAP_ENFORCE_DOMAIN`: fail handshakes that need ZAP when no ZAP handler is bound, default false. */
    public var zapEnforceDomain: Boolean
        get() = getIntOption(ZMQ_ZAP_ENFORCE_DOMAIN) != 0
        set(value) = setOption(ZMQ_ZAP_ENFORCE_DOMAIN, value)

    /**
     * Closes the socket (`zmq_close`). Returns at once and is safe to call more than once. Pending outgoing
     * messages go on being sent for up to [linger] ms; every other call fails with `ENOTSOCK` from now on, and
     * a suspended [send] or [receive] is woken with that error.
     */
    override fun close()
}
