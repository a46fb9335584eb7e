package io.zerokt.engine.internal.socket

import java.util.concurrent.atomic.AtomicInteger

/**
 * Lets one send (or one receive) at a time into a socket's behaviour, for callers on any threads and coroutines.
 *
 * A socket is used by one caller at a time almost always, so an uncontended [tryLock] and [unlock] cost one
 * atomic operation each (`kotlinx.coroutines.sync.Mutex` costs about twice that, a tenth of a 64-byte send).
 * It is a three-state lock, as Drepper's futex mutex (free, held, held with waiters): [lock] marks the lock
 * contended before it waits, and only the [unlock] that finds it so wakes the waiters, which all try again.
 *
 * Not fair (a caller that comes as the lock frees may take it before a woken waiter) and not reentrant.
 */
internal class CallLock {
    private val state = AtomicInteger(FREE)
    private val released = ReadinessSignal()

    /** Takes the lock if it is free. */
    fun tryLock(): Boolean = state.compareAndSet(FREE, HELD)

    /** Takes the lock, suspending while another holds it. Cancellable while it waits. */
    suspend fun lock() {
        // A tail call: a free lock is taken without allocating this call's continuation (lockSlowly's is).
        if (tryLock()) return
        lockSlowly()
    }

    private suspend fun lockSlowly() {
        while (true) {
            // Armed before the lock is marked contended: the unlock that sees the mark fires this very signal.
            val wake = released.arm()
            // Taken as contended (other waiters may be there): its unlock wakes them, at worst in vain.
            if (state.getAndSet(CONTENDED) == FREE) return
            wake.await()
        }
    }

    /** Frees the lock, waking the waiters if any marked it contended. Only its holder calls this. */
    fun unlock() {
        if (state.getAndSet(FREE) == CONTENDED) released.fire()
    }

    /** Runs [block] holding the lock. */
    suspend inline fun <T> withLock(block: () -> T): T {
        lock()
        try {
            return block()
        } finally {
            unlock()
        }
    }

    private companion object {
        const val FREE = 0
        const val HELD = 1
        const val CONTENDED = 2
    }
}
