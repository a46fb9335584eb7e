package io.zerokt.java

import io.zerokt.Socket
import io.zerokt.ZMQ_POLLIN
import io.zerokt.ZMQ_POLLOUT
import io.zerokt.awaitAnyReady
import io.zerokt.readyEvents
import java.util.concurrent.TimeUnit

/**
 * Waits on several sockets at once for readability and/or writability (libzmq's `zmq_poll`, JeroMQ's
 * `ZMQ.Poller`), without taking or sending anything.
 *
 * ```java
 * Poller poller = new Poller();
 * int a = poller.register(frontend, Poller.POLLIN);
 * int b = poller.register(backend, Poller.POLLIN);
 * while (poller.poll(1000) >= 0) {
 *     if (poller.isReadable(a)) { ... frontend.recvMsg() ... }
 *     if (poller.isReadable(b)) { ... }
 * }
 * ```
 *
 * [poll] blocks until at least one registered socket is ready, or the timeout passes; an interrupt ends it with
 * [io.zerokt.ZmqException] `EINTR` (the interrupt flag set again), and a registered socket closing ends it with
 * `ENOTSOCK`/`ETERM`. Readiness may be taken by another thread before you act on it, so act with the
 * non-blocking calls ([BlockingSocket.tryRecvMsg]) when several threads share a socket.
 *
 * A poller belongs to one thread at a time; registering from another thread while it polls is not supported.
 */
public class Poller {
    private val sockets = ArrayList<Socket>()
    private val wanted = ArrayList<Int>()
    private var ready = IntArray(0)

    /** Registers [socket] for [events] ([POLLIN] and/or [POLLOUT]); returns its index for [isReadable] and co. */
    public fun register(socket: BlockingSocket, events: Int): Int = register(socket.socket, events)

    /** Registers an [AsyncSocket] for [events]; returns its index. */
    public fun register(socket: AsyncSocket, events: Int): Int = register(socket.socket, events)

    /** Registers a Kotlin [Socket] for [events]; returns its index. */
    public fun register(socket: Socket, events: Int): Int {
        require(events and (POLLIN or POLLOUT).inv() == 0) { "events must be POLLIN and/or POLLOUT, was $events" }
        sockets.add(socket)
        wanted.add(events)
        ready = IntArray(sockets.size)
        return sockets.size - 1
    }

    /** Stops watching the socket at [index] (its index stays taken; it is never ready again). */
    public fun unregister(index: Int) {
        wanted[index] = 0
    }

    /** The number of registered sockets. */
    public val size: Int get() = sockets.size

    /**
     * Waits up to [timeoutMillis] (-1: forever, 0: just look) until a registered socket is ready; returns how
     * many are, 0 on timeout.
     */
    public fun poll(timeoutMillis: Long): Int {
        val deadline = if (timeoutMillis > 0) System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) else 0L
        val events = wanted.toIntArray()
        while (true) {
            val count = look(events)
            if (count > 0 || timeoutMillis == 0L) return count
            val left = if (timeoutMillis < 0) -1L else deadline - System.nanoTime()
            if (timeoutMillis > 0 && left <= 0) return 0
            if (blockingCall("poll", left) { awaitAnyReady(sockets, events) } === TimedOut) return look(events)
        }
    }

    /** Waits with no timeout; see [poll]. */
    public fun poll(): Int = poll(-1)

    private fun look(events: IntArray): Int {
        var count = 0
        for (i in sockets.indices) {
            ready[i] = readyEvents(sockets[i], events[i])
            if (ready[i] != 0) count++
        }
        return count
    }

    /** The events ready at [index] after the last [poll]. */
    public fun readyEvents(index: Int): Int = ready[index]

    /** True when the socket at [index] was readable at the last [poll] (`ZMQ_POLLIN`). */
    public fun isReadable(index: Int): Boolean = ready[index] and POLLIN != 0

    /** True when the socket at [index] was writable at the last [poll] (`ZMQ_POLLOUT`). */
    public fun isWritable(index: Int): Boolean = ready[index] and POLLOUT != 0

    public companion object {
        /** Readable: a receive would not block (`ZMQ_POLLIN`). */
        @JvmField
        public val POLLIN: Int = ZMQ_POLLIN

        /** Writable: a send would not block (`ZMQ_POLLOUT`). */
        @JvmField
        public val POLLOUT: Int = ZMQ_POLLOUT
    }
}
