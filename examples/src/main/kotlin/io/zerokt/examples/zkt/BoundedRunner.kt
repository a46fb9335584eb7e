package io.zerokt.examples.zkt

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.concurrent.thread

/**
 * Runs perf measurements one at a time, each within [limitMillis], so that a stalled measurement becomes an error
 * row instead of a hung benchmark.
 *
 * A measurement runs in this runner's own scope on [Dispatchers.Default] (its sender and receiver on separate
 * threads). On a stall the runner cancels it and calls its `release` (which closes the measurement's context and so,
 * by the API contract, wakes every suspended call). A measurement that ignores even that is abandoned after
 * [GRACE_MILLIS]: the benchmark goes on. That is the one place `zkt` gives up structured concurrency, on purpose, and
 * [close] cancels whatever was abandoned. `release` itself runs on a daemon thread with the same bound, since a broken
 * engine may also hang while closing.
 */
internal class BoundedRunner(private val limitMillis: Long) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default + CoroutineName("zkt-perf"))

    /** The result of [body], or the reason it has none; [release] has run (or been given up on) either way. */
    suspend fun run(release: () -> Unit, body: suspend CoroutineScope.() -> Measured): Result<Measured> {
        val job = scope.async(block = body)
        val outcome = try {
            withTimeoutOrNull(limitMillis) { job.await() }
                ?.let { Result.success(it) }
                ?: Result.failure(ZktException("did not finish within ${limitMillis / 1000} s (--run-timeout)"))
        } catch (e: CancellationException) {
            job.cancel()
            throw e
        } catch (e: Exception) {
            Result.failure(e)
        }
        if (!job.isCompleted) job.cancel()
        val released = releaseBounded(release)
        if (!job.isCompleted) withTimeoutOrNull(GRACE_MILLIS) { job.join() }
        if (outcome.isSuccess && !released) return Result.failure(ZktException("measured, but closing the context hung"))
        return outcome
    }

    private fun releaseBounded(release: () -> Unit): Boolean {
        val closer = thread(isDaemon = true, name = "zkt-perf-release") {
            try {
                release()
            } catch (_: Exception) {
                // A failure to close after a measurement is not the measurement's result.
            }
        }
        closer.join(GRACE_MILLIS)
        return !closer.isAlive
    }

    override fun close() {
        scope.cancel()
    }

    private companion object {
        const val GRACE_MILLIS = 10_000L
    }
}
