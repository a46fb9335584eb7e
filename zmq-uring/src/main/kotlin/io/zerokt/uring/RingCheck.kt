package io.zerokt.uring

import io.netty.channel.IoEvent
import io.netty.channel.IoEventLoop
import io.netty.channel.IoEventLoopGroup
import io.netty.channel.IoRegistration
import io.netty.channel.uring.IoUringIoEvent
import io.netty.channel.uring.IoUringIoHandle
import io.netty.channel.uring.IoUringIoOps
import java.io.IOException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * Proves that every loop of a new io_uring event loop group can submit an operation and reap its completion, before
 * any socket relies on it.
 *
 * Netty's availability check creates a ring and probes its opcodes, but never enters it: where `io_uring_enter` is
 * refused while `io_uring_setup` and `io_uring_register` are allowed (a seccomp profile that filters only some of
 * io_uring's system calls), every loop died on its first wait, and a socket's bind then waited forever for a
 * registration its dead loop could never report. A loop that passes this check has entered its ring and got an
 * `IORING_OP_NOP` back; one that fails makes the transport fail to start, and the context falls back to the default
 * engine with the reason.
 */
internal object RingCheck {
    /** How long a loop may take to start and complete the no-op. */
    const val TIMEOUT_MILLIS = 10_000L

    private const val DATA_NOP: Short = 1

    /** How long a failed check waits for the failure that ended a loop's thread to be reported, for its reason. */
    private const val DEATH_REPORT_MILLIS = 1_000L

    /**
     * Runs the check on every loop of [group], all at once; throws an [IOException] saying why when one fails, with
     * what [loopFailure] reports: the failure that ended a loop's thread, if one did (it is reported a little after
     * the loop stops).
     */
    fun run(group: IoEventLoopGroup, loopFailure: () -> Throwable? = { null }) {
        val checks = group.map { executor ->
            val loop = executor as IoEventLoop
            val done = CompletableFuture<Unit>()
            loop.terminationFuture().addListener { done.completeExceptionally(IOException("the io_uring event loop stopped")) }
            try {
                loop.execute { submitNop(loop, done) }
            } catch (e: RejectedExecutionException) {
                done.completeExceptionally(IOException("the io_uring event loop refused work", e))
            }
            done
        }
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS)
        for (done in checks) {
            try {
                done.get(maxOf(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
            } catch (e: TimeoutException) {
                throw IOException("an io_uring event loop did not complete a no-op within $TIMEOUT_MILLIS ms")
            } catch (e: ExecutionException) {
                val why = e.cause ?: e
                val died = awaitReport(loopFailure)
                throw IOException(if (died != null) "${why.message}: $died" else why.message, died ?: why)
            }
        }
    }

    private fun awaitReport(loopFailure: () -> Throwable?): Throwable? {
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEATH_REPORT_MILLIS)
        while (true) {
            loopFailure()?.let { return it }
            if (System.nanoTime() > deadline) return null
            Thread.sleep(10)
        }
    }

    /** On [loop]: registers a handle and submits a no-op through it; [done] completes with its completion. */
    private fun submitNop(loop: IoEventLoop, done: CompletableFuture<Unit>) {
        val handle = object : IoUringIoHandle {
            override fun handle(registration: IoRegistration, ioEvent: IoEvent) {
                val res = (ioEvent as IoUringIoEvent).res()
                if (res >= 0) done.complete(Unit) else done.completeExceptionally(IOException("an io_uring no-op failed: errno ${-res}"))
                registration.cancel()
            }

            override fun close() {
                done.completeExceptionally(IOException("the io_uring event loop closed during its check"))
            }
        }
        val registration = RingOps.register(loop, handle)
        if (registration == null) {
            done.completeExceptionally(IOException("could not register with the io_uring event loop"))
            return
        }
        registration.submit(IoUringIoOps(RingOps.OP_NOP, 0, 0, -1, 0L, 0L, 0, 0, DATA_NOP, 0, 0, 0, 0L))
    }
}
