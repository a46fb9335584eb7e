package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.Message
import io.zerokt.ProtocolError
import io.zerokt.SocketType

/**
 * What a [ZmtpConnection] reports to its driver, one at a time through [ZmtpConnection.pollEvent], in wire order.
 *
 * The sequence is always: at most one [HandshakeSucceeded]; after it any number of [MessageReceived], [Subscribe]
 * and [Cancel]; and at most one [Failed], which is terminal (no event ever follows it). [MessageReceived],
 * [Subscribe] and [Cancel] never come before [HandshakeSucceeded].
 */
internal sealed interface ZmtpEvent {
    /**
     * Both sides have exchanged greetings and the security handshake with metadata, and the peer's `Socket-Type`
     * is compatible with ours. Messages may flow both ways from now on.
     *
     * @property peerRoutingId the peer's non-empty `Identity` when the peer is a REQ, DEALER or ROUTER, else null.
     * @property metadata every property the peer sent, names compared case-insensitively (RFC 23).
     * @property peerMinorVersion 0 for a ZMTP 3.0 peer, 1 for 3.1 or later.
     */
    class HandshakeSucceeded(
        val peerSocketType: SocketType,
        val peerRoutingId: ByteArray?,
        val metadata: Map<String, ByteArray>,
        val peerMinorVersion: Int,
        /** The User-Id the ZAP handler gave, or null when no ZAP handler was asked. */
        val userId: ByteArray? = null,
        /** The metadata of the ZAP handler's reply. */
        val zapMetadata: Map<String, ByteArray> = emptyMap(),
    ) : ZmtpEvent {
        override fun toString(): String =
            "HandshakeSucceeded($peerSocketType, routingId=${peerRoutingId?.size}B, 3.$peerMinorVersion)"
    }

    /** A whole message: every frame up to and including the first without MORE. The frames own their arrays. */
    class MessageReceived(val message: Message) : ZmtpEvent {
        override fun toString(): String = "MessageReceived($message)"
    }

    /** A SUBSCRIBE command (ZMTP 3.1). The 3.0 form (a `\x01topic` message) arrives as [MessageReceived]. */
    class Subscribe(val topic: ByteArray) : ZmtpEvent {
        override fun toString(): String = "Subscribe(${topic.decodeToString()})"
    }

    /** A CANCEL command (ZMTP 3.1). The 3.0 form (a `\x00topic` message) arrives as [MessageReceived]. */
    class Cancel(val topic: ByteArray) : ZmtpEvent {
        override fun toString(): String = "Cancel(${topic.decodeToString()})"
    }

    /**
     * The connection is dead: the peer broke the protocol, sent ERROR, went silent past a heartbeat deadline or the
     * handshake deadline, or the stream ended in the middle of something. Terminal: nothing follows it.
     *
     * An ERROR command for the peer may be pending output when this is reported (RFC 37: during the handshake, send
     * ERROR then close): drain [ZmtpConnection.drainOutput], write it, then close the transport.
     *
     * [authStatusCode] and [noDetail] pick the monitor event: HANDSHAKE_FAILED_AUTH, HANDSHAKE_FAILED_NO_DETAIL, else
 * HANDSHAKE_FAILED_PROTOCOL.
 *
 * @property duringHandshake true when the handshake had not succeeded yet (libzmq reports those as
     *   ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL).
     */
    class Failed(
        val error: ProtocolError,
        val reason: String,
        val duringHandshake: Boolean,
        /** The ZAP status code when authentication was refused (HANDSHAKE_FAILED_AUTH), else 0. */
        val authStatusCode: Int = 0,
        /** True for HANDSHAKE_FAILED_NO_DETAIL (no ZAP handler for PLAIN, as libzmq). */
        val noDetail: Boolean = false,
    ) : ZmtpEvent {
        override fun toString(): String = "Failed($error, \"$reason\", duringHandshake=$duringHandshake)"
    }
}
