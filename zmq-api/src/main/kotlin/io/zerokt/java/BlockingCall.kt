package io.zerokt.java

import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Job
import java.util.concurrent.CancellationException
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.locks.LockSupport
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.startCoroutine

/**
 * Drives one suspend call from a blocking thread without `runBlocking`: the call starts on the caller's thread and
 * runs until it suspends; whoever resumes it (an I/O thread, an inproc peer's sender) only queues the rest of it and
 * unparks the caller, which runs it. The resumer thus does no receive or send work of the blocked thread's (before,
 * an inproc sender finished the blocked receiver's receive itself, and lost speed doing so). Costs one small object
 * and a [Job] per call, and nothing at all when the call completes without suspending.
 *
 * The [Job] in the context lets an interrupt or a timeout cancel the call; the caller then waits for the call's
 * real outcome, so a call that completed in the same instant is reported as done, never as interrupted.
 */
private class BlockingCall<T>(private val thread: Thread) : CoroutineDispatcher(), Continuation<T> {
    val job = Job()
    override val context: CoroutineContext = job + this

    @Volatile var outcome: Result<T>? = null

    /** The call's continuations, resumed elsewhere, waiting to run on [thread]. */
    private val tasks = ConcurrentLinkedQueue<Runnable>()

    override fun isDispatchNeeded(context: CoroutineContext): Boolean = Thread.currentThread() !== thread

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        tasks.add(block)
        LockSupport.unpark(thread)
    }

    /** Runs what was dispatched to [thread]; true when anything ran. Called on [thread] only. */
    fun runTasks(): Boolean {
        var ran = false
        while (true) {
            val task = tasks.poll() ?: return ran
            task.run()
            ran = true
        }
    }

    override fun resumeWith(result: Result<T>) {
        outcome = result
        LockSupport.unpark(thread)
    }
}

/** Marks a [blockingCall] that ran out of time. */
internal object TimedOut

/**
 * Runs [block] on the calling thread until it completes and returns its value (or throws its exception).
 * With [timeoutNanos] >= 0 it gives up after that long and returns [TimedOut] (when the call really did not
 * complete). `Thread.interrupt()` cancels the call: when it really was cancelled, this throws [ZmqException]
 * `EINTR` and sets the thread's interrupt flag again; when it completed anyway, its result is returned.
 */
internal fun <T> blockingCall(what: String, timeoutNanos: Long = -1, block: suspend () -> T): Any? {
    val call = BlockingCall<T>(Thread.currentThread())
    block.startCoroutine(call)
    val deadline = if (timeoutNanos >= 0) System.nanoTime() + timeoutNanos else 0L
    var interrupted = false
    var timedOut = false
    while (call.outcome == null) {
        if (call.runTasks()) continue
        if (Thread.interrupted()) {
            interrupted = true
            break
        }
        if (timeoutNanos >= 0) {
            val left = deadline - System.nanoTime()
            if (left <= 0) {
                timedOut = true
                break
            }
            LockSupport.parkNanos(call, left)
        } else {
            LockSupport.park(call)
        }
    }
    if (call.outcome == null) {
        call.job.cancel()
        // Wait for the call to settle: either it saw the cancellation or it completed just before.
        while (call.outcome == null) {
            if (call.runTasks()) continue
            if (Thread.interrupted()) interrupted = true
            LockSupport.park(call)
        }
    }
    val result = call.outcome!!
    val failure = result.exceptionOrNull()
    if (interrupted) Thread.currentThread().interrupt()
    if (failure is CancellationException && (interrupted || timedOut)) {
        if (timedOut && !interrupted) return TimedOut
        throw ZmqException(ZmqError.EINTR, "interrupted while blocked in $what; the socket is still usable", failure)
    }
    return result.getOrThrow()
}
