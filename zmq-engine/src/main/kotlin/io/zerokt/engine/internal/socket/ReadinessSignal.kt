package io.zerokt.engine.internal.socket

import kotlinx.coroutines.CompletableDeferred
import java.util.concurrent.atomic.AtomicReference

/**
 * A wake-up call for coroutines waiting until a socket may have become readable (or writable), without taking
 * anything from a pipe (libzmq's pipe activation commands, `activate_read`/`activate_write`).
 *
 * A waiter calls [arm] first, then checks its condition, then awaits what [arm] returned; whoever may have made
 * the condition true changes the state first and calls [fire] after. With that order no wake-up is missed.
 * [fire] costs one volatile read when nobody waits, so producers call it on every message.
 */
internal class ReadinessSignal {
    private val waiter = AtomicReference<CompletableDeferred<Unit>?>(null)

    /** The deferred that the next [fire] completes; shared by every waiter armed before that fire. */
    fun arm(): CompletableDeferred<Unit> {
        while (true) {
            waiter.get()?.let { return it }
            val fresh = CompletableDeferred<Unit>()
            if (waiter.compareAndSet(null, fresh)) return fresh
        }
    }

    /** True when a waiter is armed (a [fire] now would wake someone). */
    val isArmed: Boolean get() = waiter.get() != null

    /** Wakes every armed waiter, so each looks at its condition again. */
    fun fire() {
        if (waiter.get() == null) return
        waiter.getAndSet(null)?.complete(Unit)
    }
}
