package io.zerokt.uring

import kotlinx.coroutines.withTimeout
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/** Runs [block] with an io_uring transport of one event loop and default settings, closed after it, within [limit]. */
internal suspend fun withUringTransport(limit: Duration = 30.seconds, block: suspend (UringTransport) -> Unit) =
    withTimeout(limit) {
        val transport = UringTransport(1, UringSettings.of(emptyMap()))
        try {
            block(transport)
        } finally {
            transport.close()
        }
    }
