package io.zerokt.engine.internal.pattern

import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.withTimeoutOrNull

/**
 * Runs [block] within a ZeroMQ timeout: -1 waits forever, 0 fails at once, otherwise fails with `EAGAIN`
 * after [timeoutMillis] ms (SNDTIMEO/RCVTIMEO semantics).
 */
internal suspend inline fun <T : Any> withZmqTimeout(timeoutMillis: Int, what: String, crossinline block: suspend () -> T): T {
    if (timeoutMillis < 0) return block()
    if (timeoutMillis == 0) throw ZmqException(ZmqError.EAGAIN, "$what would block")
    return withTimeoutOrNull(timeoutMillis.toLong()) { block() }
        ?: throw ZmqException(ZmqError.EAGAIN, "$what timed out after $timeoutMillis ms")
}
