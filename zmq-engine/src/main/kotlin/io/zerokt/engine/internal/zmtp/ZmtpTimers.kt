package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*

/**
 * The deadlines of one connection (absolute milliseconds on the caller's clock), with libzmq's heartbeat semantics
 * (`zmtp_engine`/`stream_engine_base`: the heartbeat ivl, timeout and ttl timers).
 *
 * - handshake: `start + handshakeIvl`, cleared when the handshake succeeds.
 * - next PING: every `heartbeatIvl` after the handshake (3.1 peers only: a 3.0 peer does not know PING).
 * - PING timeout: armed when a PING is sent and none is armed; fails the connection if nothing at all is received
 *   by then. Any received byte clears it.
 * - TTL: armed by a received PING with a non-zero TTL (if not armed already); fails if nothing else is received by
 *   then. Any later received byte clears it.
 *
 * [NONE] (Long.MAX_VALUE) means "not armed", so no boxing happens on the hot path.
 */
internal class ZmtpTimers(private val config: ZmtpConfig) {
    /** When the handshake must be done, or [NONE]. */
    var handshakeDeadline: Long = NONE
        private set

    /** When to send the next PING, or [NONE]. */
    var nextPingAt: Long = NONE
        private set

    /** When the wait for traffic after our PING ends, or [NONE]. */
    var pingTimeoutAt: Long = NONE
        private set

    /** When the peer's PING TTL runs out, or [NONE]. */
    var ttlDeadline: Long = NONE
        private set

    /** The connection started at [now]. */
    fun onStart(now: Long) {
        if (config.handshakeIvlMillis > 0) handshakeDeadline = now + config.handshakeIvlMillis
    }

    /** The handshake succeeded at [now]; [pingsAllowed] is false for 3.0 peers. */
    fun onHandshakeComplete(now: Long, pingsAllowed: Boolean) {
        handshakeDeadline = NONE
        if (pingsAllowed && config.heartbeatIvlMillis > 0) nextPingAt = now + config.heartbeatIvlMillis
    }

    /** Bytes arrived from the peer: it is alive. */
    fun onBytesReceived() {
        pingTimeoutAt = NONE
        ttlDeadline = NONE
    }

    /** A frame other than PING was decoded: the peer sent traffic after its PING. */
    fun onTrafficAfterPing() {
        ttlDeadline = NONE
    }

    /** A PING with [ttlMillis] (> 0) arrived at [now]. */
    fun onPingReceived(now: Long, ttlMillis: Long) {
        if (ttlMillis > 0 && ttlDeadline == NONE) ttlDeadline = now + ttlMillis
    }

    /** We sent a PING at [now]: schedule the next one and arm the PING timeout. */
    fun onPingSent(now: Long) {
        nextPingAt = now + config.heartbeatIvlMillis
        val timeout = config.effectiveHeartbeatTimeoutMillis
        if (timeout > 0 && pingTimeoutAt == NONE) pingTimeoutAt = now + timeout
    }

    /** Disarms everything (the connection failed). */
    fun clear() {
        handshakeDeadline = NONE
        nextPingAt = NONE
        pingTimeoutAt = NONE
        ttlDeadline = NONE
    }

    /** The earliest armed deadline, or [NONE]. */
    fun next(): Long = minOf(minOf(handshakeDeadline, nextPingAt), minOf(pingTimeoutAt, ttlDeadline))

    companion object {
        /** "Not armed". */
        const val NONE: Long = Long.MAX_VALUE
    }
}
