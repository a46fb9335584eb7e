package io.zerokt

import java.util.concurrent.ThreadLocalRandom

/**
 * Suspends until one of [sockets] is readable (`zmq_poll` with `ZMQ_POLLIN`, for coroutines) and returns it,
 * taking nothing. Several may be ready; which one is returned is not specified.
 *
 * ## Cancellation
 * Cancellable; nothing is consumed, so cancelling loses no message.
 *
 * ## Errors
 * `ENOTSOCK`/`ETERM` when one of the sockets is closed.
 */
public suspend fun awaitAnyReadable(vararg sockets: Socket): Socket {
    require(sockets.isNotEmpty()) { "awaitAnyReadable needs at least one socket" }
    val list = sockets.asList()
    val events = IntArray(sockets.size) { ZMQ_POLLIN }
    while (true) {
        val start = ThreadLocalRandom.current().nextInt(sockets.size)
        for (k in sockets.indices) {
            val s = sockets[(start + k) % sockets.size]
            if (readyEvents(s, ZMQ_POLLIN) != 0) return s
        }
        awaitAnyReady(list, events)
    }
}

/**
 * Receives the next message from whichever of [sockets] has one first, and says which socket it came from: the
 * coroutine way to serve several sockets in one loop ([Socket.onReceive] clauses in a `select` do the same, mixed
 * with channels and timeouts).
 * Starts at a random socket each time, so a busy socket cannot starve the others.
 *
 * ## Cancellation
 * Cancellable; a cancelled call has taken no message.
 */
public suspend fun receiveFromAny(vararg sockets: Socket): Received {
    require(sockets.isNotEmpty()) { "receiveFromAny needs at least one socket" }
    val list = sockets.asList()
    val events = IntArray(sockets.size) { ZMQ_POLLIN }
    while (true) {
        val start = ThreadLocalRandom.current().nextInt(sockets.size)
        for (k in sockets.indices) {
            val s = sockets[(start + k) % sockets.size]
            s.tryReceive()?.let { return Received(s, it) }
        }
        awaitAnyReady(list, events)
    }
}

/** A message and the socket it was received from ([receiveFromAny]). */
public class Received(
    /** The socket the message came from. */
    public val socket: Socket,
    /** The message. */
    public val message: Message,
) {
    /** [socket], for destructuring. */
    public operator fun component1(): Socket = socket

    /** [message], for destructuring. */
    public operator fun component2(): Message = message

    override fun toString(): String = "Received($socket, $message)"
}
