package io.zerokt

import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * A proxy's traffic counters, as libzmq's `zmq_proxy_steerable` reports them to the `STATISTICS` command: for the
 * frontend and then the backend, message parts (frames) in, bytes in, frames out, bytes out.
 *
 * On the control socket the reply is 8 frames of 8 bytes each, unsigned 64-bit integers in the host's native byte
 * order, as libzmq sends them; [toMessage] writes that form and [fromMessage] reads it.
 */
public class ProxyStatistics(
    /** Frames received from the frontend. */
    public val frontendMessagesIn: Long,
    /** Bytes received from the frontend. */
    public val frontendBytesIn: Long,
    /** Frames sent to the frontend. */
    public val frontendMessagesOut: Long,
    /** Bytes sent to the frontend. */
    public val frontendBytesOut: Long,
    /** Frames received from the backend. */
    public val backendMessagesIn: Long,
    /** Bytes received from the backend. */
    public val backendBytesIn: Long,
    /** Frames sent to the backend. */
    public val backendMessagesOut: Long,
    /** Bytes sent to the backend. */
    public val backendBytesOut: Long,
) {
    /** The eight counters in libzmq's order. */
    public fun toArray(): LongArray = longArrayOf(
        frontendMessagesIn, frontendBytesIn, frontendMessagesOut, frontendBytesOut,
        backendMessagesIn, backendBytesIn, backendMessagesOut, backendBytesOut,
    )

    /** The `STATISTICS` reply: eight 8-byte frames in native byte order. */
    public fun toMessage(): Message = Message.wrap(toArray().map { value ->
        Frame.wrap(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array())
    })

    override fun toString(): String =
        "ProxyStatistics(frontend in $frontendMessagesIn/$frontendBytesIn B, out $frontendMessagesOut/$frontendBytesOut B; " +
            "backend in $backendMessagesIn/$backendBytesIn B, out $backendMessagesOut/$backendBytesOut B)"

    override fun equals(other: Any?): Boolean = other is ProxyStatistics && other.toArray().contentEquals(toArray())

    override fun hashCode(): Int = toArray().contentHashCode()

    public companion object {
        /** Reads a `STATISTICS` reply; `EPROTO` unless it is eight 8-byte frames. */
        @JvmStatic
        public fun fromMessage(message: Message): ProxyStatistics {
            if (message.size != 8 || message.any { it.size != 8 }) {
                throw ZmqException(ZmqError.EPROTO, "a STATISTICS reply is 8 frames of 8 bytes, got $message")
            }
            val v = LongArray(8) { ByteBuffer.wrap(message[it].toByteArray()).order(ByteOrder.nativeOrder()).long }
            return ProxyStatistics(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
        }
    }
}
