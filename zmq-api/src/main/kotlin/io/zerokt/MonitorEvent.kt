package io.zerokt

/**
 * The kinds of socket monitor event, with libzmq's `ZMQ_EVENT_*` bit values (`zmq_socket_monitor(3)`).
 */
public enum class MonitorEventType(
    /** libzmq's `ZMQ_EVENT_*` value. */
    public val code: Int,
) {
    /** A connect succeeded at the transport level (`ZMQ_EVENT_CONNECTED`). */
    CONNECTED(0x0001),

    /** A connect could not complete at once and will be retried (`ZMQ_EVENT_CONNECT_DELAYED`). */
    CONNECT_DELAYED(0x0002),

    /** A reconnect is scheduled; [MonitorEvent.value] is the interval in ms (`ZMQ_EVENT_CONNECT_RETRIED`). */
    CONNECT_RETRIED(0x0004),

    /** A bind succeeded and the socket listens (`ZMQ_EVENT_LISTENING`). */
    LISTENING(0x0008),

    /** A bind failed; [MonitorEvent.value] is the errno (`ZMQ_EVENT_BIND_FAILED`). */
    BIND_FAILED(0x0010),

    /** A listener accepted a connection (`ZMQ_EVENT_ACCEPTED`). */
    ACCEPTED(0x0020),

    /** A listener failed to accept a connection (`ZMQ_EVENT_ACCEPT_FAILED`). */
    ACCEPT_FAILED(0x0040),

    /** A listener or connection was closed (`ZMQ_EVENT_CLOSED`). */
    CLOSED(0x0080),

    /** Closing failed (`ZMQ_EVENT_CLOSE_FAILED`). */
    CLOSE_FAILED(0x0100),

    /** An established connection ended; [MonitorEvent.reason] says why (`ZMQ_EVENT_DISCONNECTED`). */
    DISCONNECTED(0x0200),

    /** The monitor was stopped (`ZMQ_EVENT_MONITOR_STOPPED`). */
    MONITOR_STOPPED(0x0400),

    /** The handshake failed for a reason other than protocol or auth (`ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`). */
    HANDSHAKE_FAILED_NO_DETAIL(0x0800),

    /** The ZMTP handshake completed (`ZMQ_EVENT_HANDSHAKE_SUCCEEDED`). */
    HANDSHAKE_SUCCEEDED(0x1000),

    /** The handshake failed because the peer broke the protocol; see [MonitorEvent.protocolError] (`ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`). */
    HANDSHAKE_FAILED_PROTOCOL(0x2000),

    /** Authentication failed; [MonitorEvent.value] is the ZAP status code (`ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`). */
    HANDSHAKE_FAILED_AUTH(0x4000),

    /**
     * ZeroKt only (no libzmq equivalent; a bit far above libzmq's): the socket asked for the io_uring engine
     * ([ZKT_IO_URING]) but uses the default engine; [MonitorEvent.reason] says why. Emitted once per socket.
     */
    ENGINE_FALLBACK(0x0100_0000),
}

/**
 * One socket monitor event (libzmq's `zmq_socket_monitor(3)` message, as an object).
 *
 * @property type what happened.
 * @property endpoint the endpoint it happened on: the bound or connected endpoint as the user wrote it, or, for an
 *   accepted connection, the listener's resolved endpoint.
 * @property value libzmq's event value: an errno for failures, the retry interval for [MonitorEventType.CONNECT_RETRIED],
 *   the protocol error code for [MonitorEventType.HANDSHAKE_FAILED_PROTOCOL], a ZAP status code for auth failures, else 0.
 * @property protocolError for events caused by a peer breaking the protocol (handshake failures and disconnects), the cause.
 * @property reason a human-readable explanation, or null.
 * @property remoteAddress the peer's address (`tcp://host:port`, `ipc://path`, `inproc://name`) when known.
 */
public data class MonitorEvent(
    public val type: MonitorEventType,
    public val endpoint: String,
    public val value: Long = 0,
    public val protocolError: ProtocolError? = null,
    public val reason: String? = null,
    public val remoteAddress: String? = null,
)
