package io.zerokt.engine.internal.connection

import io.zerokt.ZmqError
import io.zerokt.ZmqException

/** A parsed endpoint: `scheme://address`. */
internal class Endpoint(val text: String, val scheme: String, val address: String) {
    override fun toString(): String = text

    companion object {
        private val supported = setOf("tcp", "ipc", "inproc")

        /** Parses [text]; `EINVAL` when malformed, `EPROTONOSUPPORT` for an unknown transport. */
        fun parse(text: String): Endpoint {
            val sep = text.indexOf("://")
            if (sep <= 0) throw ZmqException(ZmqError.EINVAL, "malformed endpoint '$text' (expected transport://address)")
            val scheme = text.substring(0, sep)
            val address = text.substring(sep + 3)
            if (scheme !in supported) throw ZmqException(ZmqError.EPROTONOSUPPORT, "unsupported transport '$scheme' in '$text'")
            if (address.isEmpty()) throw ZmqException(ZmqError.EINVAL, "malformed endpoint '$text' (empty address)")
            return Endpoint(text, scheme, address)
        }
    }
}

/** A bound or connected endpoint of a socket, closed by unbind/disconnect/close. */
internal interface EndpointHandle {
    /** The endpoint as the user wrote it. */
    val requested: String

    /** The endpoint with wildcards resolved (for a bind), else [requested]. */
    val resolved: String

    /** True for a bind, false for a connect. */
    val isBind: Boolean

    /** Stops accepting new connections (a socket's close; its connections linger). */
    fun stopAccepting()

    /** Stops listening or connecting and drops the connections this endpoint made. */
    fun close()
}

/** What binds and connects one kind of endpoint for a socket. */
internal interface Binder {
    suspend fun bind(socket: io.zerokt.engine.internal.socket.RealSocket, endpoint: Endpoint): EndpointHandle

    suspend fun connect(socket: io.zerokt.engine.internal.socket.RealSocket, endpoint: Endpoint): EndpointHandle
}
