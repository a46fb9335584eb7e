package io.zerokt

/**
 * Why a peer's connection was dropped for breaking the protocol, with libzmq's `ZMQ_PROTOCOL_ERROR_*` codes
 * (the value of a `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL` monitor event).
 *
 * The entries past libzmq's set ([GREETING_MALFORMED] and on) use codes in libzmq's "unspecified ZMTP" range and
 * name causes that libzmq reports as [ZMTP_UNSPECIFIED]; their [code] stays in that range so that tools
 * which only know libzmq's codes still read them as a ZMTP error.
 */
public enum class ProtocolError(
    /** The numeric code, as libzmq's `ZMQ_PROTOCOL_ERROR_*` constant. */
    public val code: Int,
) {
    /** `ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED`. */
    ZMTP_UNSPECIFIED(0x10000000),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND`: a command that is not allowed at this point. */
    ZMTP_UNEXPECTED_COMMAND(0x10000001),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE`: e.g. a CURVE nonce out of order. */
    ZMTP_INVALID_SEQUENCE(0x10000002),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE`. */
    ZMTP_KEY_EXCHANGE(0x10000003),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED`: a command that cannot be parsed. */
    ZMTP_MALFORMED_COMMAND_UNSPECIFIED(0x10000011),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE`. */
    ZMTP_MALFORMED_COMMAND_MESSAGE(0x10000012),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO`. */
    ZMTP_MALFORMED_COMMAND_HELLO(0x10000013),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE`. */
    ZMTP_MALFORMED_COMMAND_INITIATE(0x10000014),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR`. */
    ZMTP_MALFORMED_COMMAND_ERROR(0x10000015),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY`. */
    ZMTP_MALFORMED_COMMAND_READY(0x10000016),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME`. */
    ZMTP_MALFORMED_COMMAND_WELCOME(0x10000017),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA`: bad metadata, including an incompatible `Socket-Type`. */
    ZMTP_INVALID_METADATA(0x10000018),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC`: a box that does not open. */
    ZMTP_CRYPTOGRAPHIC(0x11000001),

    /** `ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH`: the peer's greeting names another security mechanism. */
    ZMTP_MECHANISM_MISMATCH(0x11000002),

    /** `ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED`. */
    ZAP_UNSPECIFIED(0x20000000),

    /** `ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY`. */
    ZAP_MALFORMED_REPLY(0x20000001),

    /** `ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID`. */
    ZAP_BAD_REQUEST_ID(0x20000002),

    /** `ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION`. */
    ZAP_BAD_VERSION(0x20000003),

    /** `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE`. */
    ZAP_INVALID_STATUS_CODE(0x20000004),

    /** `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA`. */
    ZAP_INVALID_METADATA(0x20000005),

    /** The greeting is not a ZMTP 3.x greeting (bad signature or filler, or an unsupported version). */
    GREETING_MALFORMED(0x10000100),

    /** A frame larger than the socket's MAXMSGSIZE. */
    MESSAGE_TOO_LARGE(0x10000101),

    /** A command whose name this implementation does not know. */
    UNKNOWN_COMMAND(0x10000102),

    /** The handshake did not finish within HANDSHAKE_IVL. */
    HANDSHAKE_TIMEOUT(0x10000103),

    /** The peer sent nothing within the heartbeat timeout or TTL. */
    HEARTBEAT_TIMEOUT(0x10000104),

    /** The peer sent an ERROR command. */
    PEER_ERROR(0x10000105),

    /** The stream ended in the middle of a frame or greeting. */
    TRUNCATED(0x10000106),
    ;

    public companion object {
        /** The entry with [code], or null. */
        @JvmStatic
        public fun fromCode(code: Int): ProtocolError? = entries.firstOrNull { it.code == code }
    }
}
