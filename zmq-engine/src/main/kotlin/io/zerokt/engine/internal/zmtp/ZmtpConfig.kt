package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.SocketType

/**
 * The settings of one ZMTP connection, taken from the socket's options when the connection is made.
 *
 * All durations are milliseconds. The values mirror libzmq's socket options of the same names.
 *
 * @property socketType our socket type, sent as `Socket-Type` in READY and checked against the peer's.
 * @property routingId sent as `Identity` in READY by REQ, DEALER and ROUTER (RFC 23 "The Identity Property");
 *   null or empty sends an empty Identity. At most 255 bytes.
 * @property asServer the mechanism's server role, sent in the greeting's as-server octet. NULL ignores it and
 *   sends 0; PLAIN and CURVE use it. Binding does not imply it.
 * @property mechanism the security mechanism; both peers must name the same one.
 * @property maxMessageSize the largest frame body accepted (ZMQ_MAXMSGSIZE, checked per frame, before allocating);
 *   -1 means no limit beyond what one array can hold.
 * @property heartbeatIvlMillis ZMQ_HEARTBEAT_IVL: send a PING this often once the handshake is done; 0 = off.
 * @property heartbeatTtlMillis ZMQ_HEARTBEAT_TTL: the TTL our PINGs announce, sent in tenths of a second; 0 = none.
 * @property heartbeatTimeoutMillis ZMQ_HEARTBEAT_TIMEOUT: after sending a PING, fail if nothing at all arrives
 *   within this time; -1 = [heartbeatIvlMillis].
 * @property handshakeIvlMillis ZMQ_HANDSHAKE_IVL: fail if the handshake is not done this long after
 *   [ZmtpConnection.start]; 0 = no limit.
 * @property extraMetadata more READY properties (libzmq's ZMQ_METADATA, names like `X-Foo`); names are 1..255
 *   ASCII bytes and must not repeat `Socket-Type` or `Identity`.
 * @property peerAddress becomes the `Peer-Address` of received messages' [io.zerokt.MessageMetadata].
 */
internal class ZmtpConfig(
    val socketType: SocketType,
    val routingId: ByteArray?,
    val asServer: Boolean,
    val mechanism: MechanismFactory,
    val maxMessageSize: Long,
    val heartbeatIvlMillis: Int,
    val heartbeatTtlMillis: Int,
    val heartbeatTimeoutMillis: Int,
    val handshakeIvlMillis: Int,
    val extraMetadata: Map<String, ByteArray> = emptyMap(),
    /** The peer's address as ZAP and `Peer-Address` give it (IP for tcp), or null when unknown. */
    val peerAddress: String? = null,
) {
    init {
        require(routingId == null || routingId.size <= 255) { "routingId is ${routingId?.size} bytes, at most 255 allowed" }
        require(maxMessageSize >= -1) { "maxMessageSize must be -1 or >= 0: $maxMessageSize" }
        require(heartbeatIvlMillis >= 0) { "heartbeatIvlMillis must be >= 0: $heartbeatIvlMillis" }
        require(heartbeatTtlMillis >= 0) { "heartbeatTtlMillis must be >= 0: $heartbeatTtlMillis" }
        require(heartbeatTimeoutMillis >= -1) { "heartbeatTimeoutMillis must be -1 or >= 0: $heartbeatTimeoutMillis" }
        require(handshakeIvlMillis >= 0) { "handshakeIvlMillis must be >= 0: $handshakeIvlMillis" }
        for (name in extraMetadata.keys) {
            require(name.isNotEmpty() && name.length <= 255 && name.all { it.code in 0x21..0x7e }) {
                "metadata name \"$name\" must be 1..255 printable ASCII characters"
            }
            require(!name.equals(Metadata.SOCKET_TYPE, true) && !name.equals(Metadata.IDENTITY, true)) {
                "metadata name \"$name\" is set by the codec itself"
            }
        }
    }

    /** The heartbeat timeout in effect: [heartbeatTimeoutMillis], or [heartbeatIvlMillis] when that is -1. */
    val effectiveHeartbeatTimeoutMillis: Int
        get() = if (heartbeatTimeoutMillis == -1) heartbeatIvlMillis else heartbeatTimeoutMillis

    /** True when this socket type announces an `Identity` in READY (REQ, DEALER, ROUTER, as libzmq). */
    val sendsIdentity: Boolean
        get() = socketType.sendsIdentity()
}

/** True for the socket types whose `Identity` property means something (RFC 23: REQ, DEALER, ROUTER). */
internal fun SocketType.sendsIdentity(): Boolean =
    this == SocketType.REQ || this == SocketType.DEALER || this == SocketType.ROUTER
