package io.zerokt.java

import io.zerokt.MonitorEvent
import io.zerokt.Socket
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import java.util.concurrent.Flow
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong

/**
 * A socket's monitor events (libzmq's `zmq_socket_monitor`) as a `java.util.concurrent.Flow.Publisher`: the same
 * events, in the same order, as the Kotlin `Socket.monitor()` flow.
 *
 * Each subscriber gets its own stream of the events from the moment it subscribes, honouring its demand
 * (`request(n)`); events beyond a backlog of 10,000 unrequested ones are dropped, oldest first. The stream ends
 * with `onComplete` after the socket closes (the last event is `MONITOR_STOPPED`). `onNext` is called from a
 * pooled thread, one call at a time per subscriber.
 *
 * ```java
 * socket.monitor().subscribe(new Flow.Subscriber<MonitorEvent>() { ... });
 * ```
 */
public class MonitorPublisher(private val socket: Socket) : Flow.Publisher<MonitorEvent> {
    override fun subscribe(subscriber: Flow.Subscriber<in MonitorEvent>) {
        val events = socket.monitor()
        val subscription = EventSubscription(subscriber)
        subscriber.onSubscribe(subscription)
        subscription.start(events)
    }
}

/** One subscriber's subscription: a coroutine that collects the monitor flow and respects the demand. */
private class EventSubscription(private val subscriber: Flow.Subscriber<in MonitorEvent>) : Flow.Subscription {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val demand = AtomicLong()
    private val demandChanged = Channel<Unit>(Channel.CONFLATED)
    private val done = AtomicBoolean()

    fun start(events: kotlinx.coroutines.flow.Flow<MonitorEvent>) {
        scope.launch {
            try {
                events.collect { event ->
                    while (demand.get() == 0L) demandChanged.receive()
                    demand.decrementAndGet()
                    if (!done.get()) subscriber.onNext(event)
                }
                if (done.compareAndSet(false, true)) subscriber.onComplete()
            } catch (e: Throwable) {
                if (e is kotlinx.coroutines.CancellationException) throw e
                if (done.compareAndSet(false, true)) subscriber.onError(e)
            }
        }
    }

    override fun request(n: Long) {
        if (n <= 0) {
            // Reactive Streams rule 3.9: a non-positive request is an error.
            if (done.compareAndSet(false, true)) {
                scope.cancel()
                subscriber.onError(IllegalArgumentException("request($n): the demand must be positive"))
            }
            return
        }
        demand.getAndUpdate { current -> if (Long.MAX_VALUE - current < n) Long.MAX_VALUE else current + n }
        demandChanged.trySend(Unit)
    }

    override fun cancel() {
        done.set(true)
        scope.cancel()
    }
}
