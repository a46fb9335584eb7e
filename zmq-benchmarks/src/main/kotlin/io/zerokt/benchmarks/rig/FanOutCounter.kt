package io.zerokt.benchmarks.rig

import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicLong

/**
 * Counts data messages received across all subscribers and completes a signal when a batch has reached all of them.
 * [expect] is called before the batch is published, so every count it waits for happens after it.
 */
internal class FanOutCounter(private val subscribers: Int) {
    private val received = AtomicLong()

    @Volatile
    private var target = Long.MAX_VALUE

    @Volatile
    private var signal: CompletableFuture<Unit>? = null

    /** The next [count] published messages complete [done] once each of the subscribers has received them. */
    fun expect(count: Int, done: CompletableFuture<Unit>) {
        signal = done
        target = received.get() + count.toLong() * subscribers
    }

    /** One data message arrived at one subscriber. */
    fun count() {
        if (received.incrementAndGet() == target) signal?.complete(Unit)
    }
}
