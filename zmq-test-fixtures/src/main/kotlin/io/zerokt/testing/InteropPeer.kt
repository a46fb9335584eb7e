package io.zerokt.testing

import io.zerokt.MonitorEventType
import io.zerokt.SocketType

/**
 * One socket of another ZeroMQ implementation (libzmq through [PyZmqPeer], JeroMQ through [JeroMqPeer]), so an
 * interop test is written once and run against each. Every call is blocking and bounded in time; a call that
 * fails or times out throws [InteropPeerException]. [close] releases everything (process, context, threads).
 *
 * A peer holds one socket: call [socket] first, then options, then [bind]/[connect].
 * Options and types are libzmq's names without the `ZMQ_` prefix (`"LINGER"`, `"ROUTING_ID"`, `"PUSH"`).
 */
interface InteropPeer : AutoCloseable {
    /** Which implementation this is, with its version (for test names and messages). */
    val implementation: String

    /** Whether this implementation's `ipc://` interoperates with other implementations (JeroMQ's does not). */
    val supportsIpc: Boolean

    /** Creates this peer's socket of [type] (`"PUSH"`, `"ROUTER"`, ...). */
    fun socket(type: String)

    /** Creates this peer's socket of [type]. */
    fun socket(type: SocketType): Unit = socket(type.name)

    /** Sets the integer option [name] (`"LINGER"`, `"SNDHWM"`, `"ROUTER_MANDATORY"`, ...). */
    fun setOption(name: String, value: Int)

    /** Sets a 64-bit integer option [name] (`"MAXMSGSIZE"`, ...). */
    fun setOption(name: String, value: Long)

    /** Sets the binary option [name] (`"ROUTING_ID"`, `"SUBSCRIBE"`, ...). */
    fun setOption(name: String, value: ByteArray)

    /** Sets a string option as UTF-8 bytes. */
    fun setOption(name: String, value: String): Unit = setOption(name, value.encodeToByteArray())

    /** Binds to [endpoint] and returns the resolved endpoint (wildcard port filled in). */
    fun bind(endpoint: String): String

    /** Stops listening on [endpoint]. */
    fun unbind(endpoint: String)

    /** Connects to [endpoint]. */
    fun connect(endpoint: String)

    /** Disconnects from [endpoint]. */
    fun disconnect(endpoint: String)

    /** Sends one message of [frames], waiting up to [timeoutMs] for room; returns false when it timed out. */
    fun trySend(frames: List<ByteArray>, timeoutMs: Long = DEFAULT_TIMEOUT_MS): Boolean

    /** Sends one message of [frames]; throws [InteropPeerException] when it cannot be queued within [timeoutMs]. */
    fun send(frames: List<ByteArray>, timeoutMs: Long = DEFAULT_TIMEOUT_MS) {
        if (!trySend(frames, timeoutMs)) throw InteropPeerException("$implementation: send timed out after $timeoutMs ms")
    }

    /** Sends one message whose frames are [frames] as UTF-8. */
    fun sendStrings(vararg frames: String): Unit = send(frames.map { it.encodeToByteArray() })

    /** Receives one message, or null when none arrived within [timeoutMs]. */
    fun recv(timeoutMs: Long = DEFAULT_TIMEOUT_MS): List<ByteArray>?

    /** Receives one message as UTF-8 strings, or null on timeout. */
    fun recvStrings(timeoutMs: Long = DEFAULT_TIMEOUT_MS): List<String>? = recv(timeoutMs)?.map { it.decodeToString() }

    /** Starts the socket monitor (all events); read them with [nextEvent]. */
    fun monitor()

    /** The next monitor event, or null when none came within [timeoutMs]. */
    fun nextEvent(timeoutMs: Long = DEFAULT_TIMEOUT_MS): PeerEvent?

    /** The next monitor event of [type], skipping others, or null when none came within [timeoutMs]. */
    fun awaitEvent(type: MonitorEventType, timeoutMs: Long = DEFAULT_TIMEOUT_MS): PeerEvent? {
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        while (true) {
            val left = (deadline - System.nanoTime()) / 1_000_000
            if (left <= 0) return null
            val e = nextEvent(left) ?: return null
            if (e.code == type.code) return e
        }
    }

    /** Closes the socket (with [lingerMs] when given, else its LINGER option) but keeps the peer for inspection. */
    fun closeSocket(lingerMs: Int? = null)

    /** Closes the socket and releases the peer; idempotent and never throws. */
    override fun close()

    companion object {
        /** The default bound for a call: 10 s. */
        const val DEFAULT_TIMEOUT_MS: Long = 10_000
    }
}

/**
 * A monitor event seen by an [InteropPeer]: libzmq's event [code] (`ZMQ_EVENT_*`), its [value] and [endpoint].
 * [type] is the matching ZeroKt event type, or null for a code ZeroKt does not define.
 */
data class PeerEvent(val code: Int, val value: Long, val endpoint: String) {
    /** The ZeroKt [MonitorEventType] with this code, or null. */
    val type: MonitorEventType? get() = MonitorEventType.entries.firstOrNull { it.code == code }

    override fun toString(): String = "PeerEvent(${type ?: "0x" + code.toString(16)}, value=$value, endpoint=$endpoint)"
}

/** A peer call failed (an error from the peer, a timeout, a dead peer process). */
class InteropPeerException(message: String, cause: Throwable? = null) : RuntimeException(message, cause)

/** `frames` of a list of strings as UTF-8 bytes, for building messages in tests. */
fun frames(vararg parts: String): List<ByteArray> = parts.map { it.encodeToByteArray() }
