package io.zerokt.engine.internal.zmtp

import io.zerokt.ProtocolError

/**
 * The peer broke ZMTP: thrown inside the codec (greeting, frame decoder, command parsers, mechanisms) and caught by
 * [ZmtpConnection], which turns it into exactly one [ZmtpEvent.Failed]. It never leaves the codec.
 *
 * [sendError] asks the connection to queue an ERROR command with [reason] before failing; the connection only does so
 * while the security handshake is running (RFC 23/37 allow ERROR there only).
 *
 * It carries no stack trace: it is control flow for hostile input, and hostile input must be cheap to reject.
 */
internal class ZmtpProtocolException(
    val error: ProtocolError,
    val reason: String,
    val sendError: Boolean = false,
) : RuntimeException("${error.name}: $reason", null, false, false)
