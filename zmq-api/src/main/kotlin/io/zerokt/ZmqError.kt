package io.zerokt

/**
 * libzmq's error codes (`zmq_errno()`), with the numbers libzmq uses on Linux.
 *
 * ZeroMQ-specific codes (`EFSM`, `ETERM`, …) are `ZMQ_HAUSNUMERO` (156384712) plus an offset, as in `zmq.h`.
 */
public enum class ZmqError(
    /** The errno value libzmq reports on Linux. */
    public val code: Int,
    /** A short human description. */
    public val description: String,
) {
    /** The operation would block (non-blocking call, or SNDTIMEO/RCVTIMEO expired). */
    EAGAIN(11, "Resource temporarily unavailable"),

    /** The call was interrupted (by `Thread.interrupt()` in the Java bridge). */
    EINTR(4, "Interrupted system call"),

    /** An argument is invalid (bad option value, malformed endpoint). */
    EINVAL(22, "Invalid argument"),

    /** The address is already in use. */
    EADDRINUSE(98, "Address already in use"),

    /** The requested address is not local or cannot be resolved. */
    EADDRNOTAVAIL(99, "Cannot assign requested address"),

    /** The endpoint names a transport this build does not support. */
    EPROTONOSUPPORT(93, "Protocol not supported"),

    /** The operation is not supported by this socket type. */
    ENOTSUP(95, "Operation not supported"),

    /** The socket has been closed. */
    ENOTSOCK(88, "Socket operation on non-socket"),

    /** A ROUTER with ROUTER_MANDATORY was asked to send to an unknown peer. */
    EHOSTUNREACH(113, "No route to host"),

    /** The message is larger than allowed. */
    EMSGSIZE(90, "Message too long"),

    /** The connection was refused by the peer. */
    ECONNREFUSED(111, "Connection refused"),

    /** The endpoint to unbind or disconnect is not bound or connected. */
    ENOENT(2, "No such file or directory"),

    /** A protocol error. */
    EPROTO(71, "Protocol error"),

    /** The socket's state machine does not allow this operation now (REQ/REP ordering). */
    EFSM(156384763, "Operation cannot be accomplished in current state"),

    /** The peer's protocol is not compatible. */
    ENOCOMPATPROTO(156384764, "The protocol is not compatible with the socket type"),

    /** The context was terminated. */
    ETERM(156384765, "Context was terminated"),

    /** No I/O thread is available. */
    EMTHREAD(156384766, "No thread available"),
    ;

    public companion object {
        /** The entry with libzmq errno [code], or null. */
        @JvmStatic
        public fun fromCode(code: Int): ZmqError? = entries.firstOrNull { it.code == code }
    }
}
