package io.zerokt.engine.spi

import io.zerokt.ProtocolError

/**
 * The peer broke ZMTP: thrown inside the codec (greeting, frame decoder, command parsers, mechanisms) and caught by
 * the connection, which turns it into exactly one failure event. It never leaves the codec.
 *
 * [sendError] asks the connection to queue an ERROR command with [reason] before failing; the connection only does so
 * while the security handshake is running (RFC 23/37 allow ERROR there only).
 *
 * Mechanisms in other modules (CURVE in `zmq-security`) throw it too.
 *
 * It carries no stack trace: it is control flow for hostile input, and hostile input must be cheap to reject.
 */
@ZeroKtInternalApi
public class ZmtpProtocolException(
    public val error: ProtocolError,
    public val reason: String,
    public val sendError: Boolean = false,
    /** A ZAP status code (300, 400, 500) when authentication failed, else 0: reported as HANDSHAKE_FAILED_AUTH. */
    public val authStatusCode: Int = 0,
    /** True to report HANDSHAKE_FAILED_NO_DETAIL (libzmq's answer when no ZAP handler is bound for PLAIN). */
    public val noDetail: Boolean = false,
) : RuntimeException("${error.name}: $reason", null, false, false)
