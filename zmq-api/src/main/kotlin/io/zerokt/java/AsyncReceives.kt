package io.zerokt.java

import io.zerokt.Message
import io.zerokt.Socket
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.Job
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import kotlin.coroutines.Continuation
import kotlin.coroutines.startCoroutine

/**
 * The receive side of an [AsyncSocket]: pending receive futures served, oldest first, by one pump coroutine, so
 * that withdrawing a future (cancel, `orTimeout`, an outside `complete`) neither loses a message nor lets a later
 * message overtake it.
 *
 * Messages leave the socket in two places only: [recv]'s fast path (nothing pending, no pump, nothing held) and
 * the pump. A message the pump takes is assigned under [lock] to the oldest pending future, which from then on
 * cannot be withdrawn, or, when none is pending, kept in [held], which later receives drain first.
 */
internal class AsyncReceives(private val socket: Socket, private val executor: Executor) {
    private val lock = Any()

    /** Futures waiting for a message, oldest first. Guarded by [lock]. */
    private val waiting = ArrayDeque<PendingReceive>()

    /** Messages taken for futures withdrawn meanwhile, oldest first; non-empty only while [waiting] is empty. */
    private val held = ArrayDeque<Message>()

    /** The pump's job while one runs (possibly cancelled and on its way out). Guarded by [lock]. */
    private var pump: Job? = null

    fun recv(): CompletableFuture<Message> {
        val future = PendingReceive()
        val startPump: Job?
        synchronized(lock) {
            held.removeFirstOrNull()?.let { return CompletableFuture.completedFuture(it) }
            if (pump == null) {
                try {
                    socket.tryReceive()?.let { return CompletableFuture.completedFuture(it) }
                } catch (e: Exception) {
                    return CompletableFuture.failedFuture(e)
                }
            }
            waiting.addLast(future)
            startPump = if (pump == null) Job().also { pump = it } else null
        }
        startPump?.let(::start)
        return future
    }

    private fun start(job: Job) {
        val loop: suspend () -> Unit = { pumpLoop(job) }
        loop.startCoroutine(Continuation(job) { result -> pumpEnded(job, result.exceptionOrNull()) })
    }

    /** Takes messages for the waiting futures until none is left. */
    private suspend fun pumpLoop(job: Job) {
        while (true) {
            val outcome = try {
                Result.success(socket.receive())
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                Result.failure(e)
            }
            val settled = ArrayList<Pair<PendingReceive, Result<Message>>>(1)
            val done = synchronized(lock) {
                val error = outcome.exceptionOrNull()
                if (error == null) {
                    val message = outcome.getOrThrow()
                    val first = waiting.removeFirstOrNull()
                    if (first == null) held.addLast(message) else settled += first.claim() to outcome
                } else if (error is ZmqException && (error.error == ZmqError.ENOTSOCK || error.error == ZmqError.ETERM)) {
                    while (waiting.isNotEmpty()) settled += waiting.removeFirst().claim() to outcome
                } else {
                    waiting.removeFirstOrNull()?.let { settled += it.claim() to outcome }
                }
                val idle = waiting.isEmpty()
                if (idle && pump === job) pump = null
                idle
            }
            if (settled.isNotEmpty()) executor.execute { for ((future, result) in settled) future.settle(result) }
            if (done) return
        }
    }

    /** The pump stopped: cancelled when its last future was withdrawn, or failed unexpectedly. */
    private fun pumpEnded(job: Job, failure: Throwable?) {
        val failed = ArrayList<PendingReceive>()
        val restart = synchronized(lock) {
            if (pump !== job) return
            pump = null
            if (failure != null && failure !is CancellationException) {
                while (waiting.isNotEmpty()) failed += waiting.removeFirst().claim()
            }
            if (waiting.isEmpty()) null else Job().also { pump = it }
        }
        if (failed.isNotEmpty()) executor.execute { for (f in failed) f.settle(Result.failure(failure!!)) }
        restart?.let(::start)
    }

    /**
     * A receive future. Every way of completing it from outside goes through [withdraw], which succeeds only
     * before the pump has assigned it a message or an error.
     */
    private inner class PendingReceive : CompletableFuture<Message>() {
        /** True once a message or an outcome is on its way to this future. Guarded by [lock]. */
        private var claimed = false

        /** Called by the pump under [lock]. */
        fun claim(): PendingReceive = apply { claimed = true }

        fun settle(result: Result<Message>) {
            val error = result.exceptionOrNull()
            if (error == null) super.complete(result.getOrThrow()) else super.completeExceptionally(error)
        }

        private fun withdraw(): Boolean {
            val stop = synchronized(lock) {
                if (claimed) return false
                claimed = true
                waiting.remove(this)
                if (waiting.isEmpty()) pump else null
            }
            stop?.cancel()
            return true
        }

        override fun cancel(mayInterruptIfRunning: Boolean): Boolean =
            withdraw() && super.cancel(mayInterruptIfRunning)

        override fun complete(value: Message?): Boolean = withdraw() && super.complete(value)

        override fun completeExceptionally(ex: Throwable): Boolean = withdraw() && super.completeExceptionally(ex)
    }
}
