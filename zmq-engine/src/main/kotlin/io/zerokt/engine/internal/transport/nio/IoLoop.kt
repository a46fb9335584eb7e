package io.zerokt.engine.internal.transport.nio

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.suspendCancellableCoroutine
import org.slf4j.LoggerFactory
import java.io.IOException
import java.nio.channels.CancelledKeyException
import java.nio.channels.ClosedChannelException
import java.nio.channels.SelectableChannel
import java.nio.channels.SelectionKey
import java.nio.channels.Selector
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReferenceArray
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.resume

/**
 * One I/O thread that owns a [Selector] and is also a coroutine dispatcher (libzmq's `io_thread_t`: one poller
 * and one mailbox per thread).
 *
 * A connection's reader, writer and timer run on this thread, so a readable socket is read, decoded and delivered
 * by the thread that saw it ready, and a write goes to the kernel from the thread that encoded it: no hand-off
 * between a selector thread and a worker per message. Tasks dispatched from another thread (a sender waking its
 * connection's writer) wake the selector only when the thread is asleep in `select`.
 */
internal class IoLoop(name: String) : CoroutineDispatcher() {
    private val selector: Selector = Selector.open()
    private val tasks = ConcurrentLinkedQueue<Runnable>()

    /** False while the thread is in (or about to enter) a blocking `select`; a dispatch that flips it wakes it. */
    private val awake = AtomicBoolean(true)

    @Volatile private var closed = false

    /** True once the thread has stopped; later tasks run on [Dispatchers.IO], so that nothing waits forever. */
    @Volatile private var stopped = false

    private val thread = Thread(::loop, name).apply {
        isDaemon = true
        start()
    }

    /** True when called on this loop's thread. */
    val inLoop: Boolean get() = Thread.currentThread() === thread

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        if (stopped) return Dispatchers.IO.dispatch(context, block)
        tasks.offer(block)
        if (stopped) {
            // The thread finished its last round before this task was queued: hand it on.
            drainTo(context)
        } else if (!inLoop && !awake.getAndSet(true)) {
            selector.wakeup()
        }
    }

    private fun drainTo(context: CoroutineContext) {
        while (true) Dispatchers.IO.dispatch(context, tasks.poll() ?: return)
    }

    /**
     * Registers [channel] (non-blocking) for readiness waits; interest is set per wait ([Registration.await]).
     * Safe from any thread.
     */
    fun register(channel: SelectableChannel): Registration {
        channel.configureBlocking(false)
        val registration = Registration(this)
        registration.key = channel.register(selector, 0, registration)
        return registration
    }

    /** Makes the selector notice changes made from another thread (new interest, a closed channel) now. */
    fun wakeup() {
        if (!inLoop) selector.wakeup()
    }

    /** Stops the thread and closes the selector (after [timeoutMillis] at most); channels are closed by their owners. */
    fun close(timeoutMillis: Long) {
        closed = true
        selector.wakeup()
        if (!inLoop) thread.join(timeoutMillis)
    }

    private fun loop() {
        try {
            while (!closed) {
                runTasks()
                awake.set(false)
                if (tasks.isEmpty()) selector.select() else selector.selectNow()
                awake.set(true)
                val selected = selector.selectedKeys()
                if (selected.isEmpty()) continue
                val iterator = selected.iterator()
                while (iterator.hasNext()) {
                    val key = iterator.next()
                    iterator.remove()
                    (key.attachment() as Registration).fire(key)
                }
            }
        } catch (e: Throwable) {
            log.error("{} stopped unexpectedly", thread.name, e)
        } finally {
            // Wake every waiter still registered: its channel is unusable from now on, and each wait then fails.
            runCatching { selector.keys().forEach { (it.attachment() as? Registration)?.fireAll() } }
            runCatching { selector.close() }
            stopped = true
            drainTo(EmptyCoroutineContext)
        }
    }

    private fun runTasks() {
        // Bounded, so that tasks that keep coming (or re-dispatching themselves) cannot starve the selector.
        repeat(TASKS_PER_ROUND) {
            val task = tasks.poll() ?: return
            try {
                task.run()
            } catch (e: Throwable) {
                log.error("a task on {} failed", thread.name, e)
            }
        }
    }

    /**
     * One channel's readiness waits: at most one waiter per operation (one reader, one writer, one acceptor or
     * connector), each woken once when the selector reports its operation ready.
     */
    internal class Registration(val loop: IoLoop) {
        lateinit var key: SelectionKey
        private val waiters = AtomicReferenceArray<CancellableContinuation<Unit>?>(SLOTS)

        /** Suspends until the channel is ready for [op] (one `SelectionKey.OP_*`). Throws [IOException] once closed. */
        suspend fun await(op: Int) {
            val slot = slotOf(op)
            suspendCancellableCoroutine { cont ->
                if (!waiters.compareAndSet(slot, null, cont)) {
                    cont.resumeWith(Result.failure(IllegalStateException("two waits for operation $op")))
                    return@suspendCancellableCoroutine
                }
                try {
                    key.interestOpsOr(op)
                } catch (e: CancelledKeyException) {
                    if (waiters.compareAndSet(slot, cont, null)) cont.resumeWith(Result.failure(ClosedChannelException()))
                    return@suspendCancellableCoroutine
                }
                cont.invokeOnCancellation { waiters.compareAndSet(slot, cont, null) }
                loop.wakeup()
            }
        }

        /** On the loop: wakes the waiters of the operations [key] is ready for and drops that interest. */
        fun fire(key: SelectionKey) {
            val ready = try {
                key.readyOps()
            } catch (e: CancelledKeyException) {
                fireAll()
                return
            }
            try {
                key.interestOpsAnd(ready.inv())
            } catch (e: CancelledKeyException) {
                // Closed meanwhile: the waiters below find out when they try the channel.
            }
            for (slot in 0 until SLOTS) {
                if (ready and OPS[slot] != 0) waiters.getAndSet(slot, null)?.resume(Unit)
            }
        }

        /** Wakes every waiter (the channel closed, or the loop stopped); each then meets the closed channel. */
        fun fireAll() {
            for (slot in 0 until SLOTS) waiters.getAndSet(slot, null)?.resume(Unit)
        }

        private fun slotOf(op: Int): Int = when (op) {
            SelectionKey.OP_READ -> 0
            SelectionKey.OP_WRITE -> 1
            SelectionKey.OP_ACCEPT -> 2
            SelectionKey.OP_CONNECT -> 3
            else -> throw IllegalArgumentException("operation $op")
        }

        private companion object {
            const val SLOTS = 4
            val OPS = intArrayOf(SelectionKey.OP_READ, SelectionKey.OP_WRITE, SelectionKey.OP_ACCEPT, SelectionKey.OP_CONNECT)
        }
    }

    private companion object {
        /** The most tasks run between two looks at the selector. */
        const val TASKS_PER_ROUND = 1024

        val log = LoggerFactory.getLogger(IoLoop::class.java)
    }
}
