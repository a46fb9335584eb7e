package io.zerokt

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.selects.select

/** The events of [socket] out of [wanted] ([ZMQ_POLLIN], [ZMQ_POLLOUT]) that are true now (`ZMQ_EVENTS`). */
internal fun readyEvents(socket: Socket, wanted: Int): Int =
    if (wanted == 0) 0 else socket.getIntOption(ZMQ_EVENTS) and wanted

/**
 * Suspends until one of [sockets] has one of the matching [events] (each a [ZMQ_POLLIN] / [ZMQ_POLLOUT] mask)
 * (what `zmq_poll` waits for), consuming nothing. Returns at once when one is ready already. Cancellable.
 */
internal suspend fun awaitAnyReady(sockets: List<Socket>, events: IntArray) {
    for (i in sockets.indices) if (readyEvents(sockets[i], events[i]) != 0) return
    coroutineScope {
        val waits = ArrayList<kotlinx.coroutines.Deferred<Unit>>()
        for (i in sockets.indices) {
            val s = sockets[i]
            if (events[i] and ZMQ_POLLIN != 0) waits.add(async(Dispatchers.Unconfined) { s.awaitReadable() })
            if (events[i] and ZMQ_POLLOUT != 0) waits.add(async(Dispatchers.Unconfined) { s.awaitWritable() })
        }
        if (waits.isNotEmpty()) {
            select<Unit> { for (w in waits) w.onAwait {} }
        } else {
            kotlinx.coroutines.awaitCancellation()
        }
        waits.forEach { it.cancel() }
    }
}
