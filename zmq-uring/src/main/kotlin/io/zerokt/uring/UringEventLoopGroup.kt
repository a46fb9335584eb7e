package io.zerokt.uring

import io.netty.channel.IoEventLoop
import io.netty.channel.IoEventLoopGroup
import io.netty.channel.IoHandlerFactory
import io.netty.channel.MultiThreadIoEventLoopGroup
import io.netty.channel.SingleThreadIoEventLoop
import java.util.concurrent.Executor
import java.util.concurrent.ThreadFactory

/**
 * Netty's io_uring event loop group, with loops that wait for completions without a timer while no task is scheduled.
 *
 * Netty 4.2.18's loop reports a deadline one second ahead even when nothing is scheduled (its purge interval), and its
 * io_uring handler turns every deadline into an `IORING_OP_TIMEOUT` submitted with each wait. With one wait per
 * message, that was one more submission, one more completion and a kernel timer armed and cancelled per message (seen
 * with the `io_uring:io_uring_submit_req` tracepoint: as many TIMEOUTs as RECVs). Waiting without a deadline is safe:
 * a task or a scheduled task added from another thread wakes the loop through its eventfd, one added on the loop is
 * seen before it waits, Netty removes a cancelled scheduled task at once, and a graceful shutdown's quiet period
 * queues a wake-up task before each of its checks.
 */
internal class UringEventLoopGroup(threads: Int, threadFactory: ThreadFactory, handlers: IoHandlerFactory) :
    MultiThreadIoEventLoopGroup(threads, threadFactory, handlers) {

    override fun newChild(executor: Executor, ioHandlerFactory: IoHandlerFactory, vararg args: Any?): IoEventLoop =
        Loop(this, executor, ioHandlerFactory)

    /** One loop of the group. */
    internal class Loop(parent: IoEventLoopGroup, executor: Executor, handlers: IoHandlerFactory) :
        SingleThreadIoEventLoop(parent, executor, handlers) {
        /** The next scheduled task's deadline, or -1 (wait without a timer) while none is scheduled. */
        override fun deadlineNanos(): Long = nextScheduledTaskDeadlineNanos()

        /** What the next wait is given as its deadline (-1: none); call it on the loop. */
        internal fun waitDeadlineNanos(): Long = deadlineNanos()
    }

    internal companion object {
        /** Netty's "no scheduled task" and, to its io_uring handler, "no deadline". */
        const val NO_DEADLINE = -1L
    }
}
