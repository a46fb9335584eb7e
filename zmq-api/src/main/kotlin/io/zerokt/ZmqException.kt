package io.zerokt

/**
 * The one exception type of ZeroKt's API, carrying a libzmq-like [error] code (what `zmq_errno()` would say).
 *
 * Transport failures that reach the user (a bind on a port in use, say) are reported as a `ZmqException` whose
 * [cause] is the underlying `IOException`. Failures of a peer (bad input, disconnects) never surface as an
 * exception from `send`/`receive`; they are reported by the socket's monitor.
 */
public open class ZmqException @JvmOverloads constructor(
    /** The libzmq-like error code. */
    public val error: ZmqError,
    message: String = error.description,
    cause: Throwable? = null,
) : RuntimeException("${error.name}: $message", cause) {
    /** libzmq's numeric errno for [error]. */
    public val errorCode: Int get() = error.code
}
