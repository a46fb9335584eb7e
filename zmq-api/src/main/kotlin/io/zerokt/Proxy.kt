package io.zerokt

/**
 * The built-in proxy (libzmq's `zmq_proxy`): moves messages from [frontend] to [backend] and back, copying each
 * one to [capture] when given, until the coroutine is cancelled or a socket is closed (then it throws
 * [ZmqException] `ETERM`/`ENOTSOCK`, as `zmq_proxy` returns -1).
 *
 * A message is taken from one side only when the other side can take it (`ZMQ_POLLOUT`), so a slow side
 * holds messages back in its peer's queue instead of the proxy's memory. Typical pairs: ROUTER/DEALER (a shared
 * queue), XSUB/XPUB (a forwarder), PULL/PUSH (a streamer).
 */
public suspend fun proxy(frontend: Socket, backend: Socket, capture: Socket? = null) {
    ProxyLoop(frontend, backend, capture, control = null).run()
}

/**
 * The steerable proxy (libzmq's `zmq_proxy_steerable`): [proxy], also obeying commands on [control]:
 * `PAUSE` stops moving messages, `RESUME` starts again, `TERMINATE` ends the proxy (this function then returns
 * the final counters), and `STATISTICS` replies on [control] with the eight counters ([ProxyStatistics.toMessage]).
 * When [control] is a REP socket, the other commands get an empty reply so that the REP can take the next
 * command; an unknown command is ignored (and answered the same way).
 */
public suspend fun proxySteerable(frontend: Socket, backend: Socket, capture: Socket?, control: Socket): ProxyStatistics =
    ProxyLoop(frontend, backend, capture, control).run()

/** The proxy's loop; one instance per call. */
private class ProxyLoop(
    private val frontend: Socket,
    private val backend: Socket,
    private val capture: Socket?,
    private val control: Socket?,
) {
    /** libzmq's 8 counters, in [ProxyStatistics] order. */
    private val counters = LongArray(8)
    private var paused = false

    suspend fun run(): ProxyStatistics {
        val sockets = listOfNotNull(frontend, backend, control)
        val events = IntArray(sockets.size)
        while (true) {
            if (control != null) {
                val command = control.tryReceive()
                if (command != null) {
                    if (handle(command)) return statistics()
                    continue
                }
            }
            var moved = false
            if (!paused) {
                moved = forward(frontend, backend, FRONTEND, BACKEND) or forward(backend, frontend, BACKEND, FRONTEND)
            }
            if (moved) continue
            // Wait until a message may move (readable here while writable there; or a full side gets room), or a command.
            events[0] = if (paused) 0 else waitMask(frontend, backend)
            events[1] = if (paused) 0 else waitMask(backend, frontend)
            if (control != null) events[2] = ZMQ_POLLIN
            awaitAnyReady(sockets, events)
        }
    }

    /** What to wait for on [self]: a message when [other] can take one, and room when [self] has none. */
    private fun waitMask(self: Socket, other: Socket): Int =
        (if (readyEvents(other, ZMQ_POLLOUT) != 0) ZMQ_POLLIN else 0) or (if (readyEvents(self, ZMQ_POLLOUT) == 0) ZMQ_POLLOUT else 0)

    /** Moves up to [BURST] messages from [from] to [to]; true when at least one moved. */
    private suspend fun forward(from: Socket, to: Socket, fromBase: Int, toBase: Int): Boolean {
        var moved = 0
        while (moved < BURST && readyEvents(to, ZMQ_POLLOUT) != 0) {
            val message = from.tryReceive() ?: break
            var bytes = 0L
            for (f in message) bytes += f.size
            counters[fromBase] += message.size.toLong()
            counters[fromBase + 1] += bytes
            capture?.send(message)
            if (!to.trySend(message)) to.send(message)
            counters[toBase + 2] += message.size.toLong()
            counters[toBase + 3] += bytes
            moved++
        }
        return moved > 0
    }

    /** Obeys [command]; true on TERMINATE. */
    private suspend fun handle(command: Message): Boolean {
        val word = command.first().decodeToString()
        when (word) {
            "PAUSE" -> paused = true
            "RESUME" -> paused = false
            "STATISTICS" -> {
                control!!.send(statistics().toMessage())
                return false
            }
        }
        if (control!!.type == SocketType.REP) control.send(Message.of(Frame.EMPTY))
        return word == "TERMINATE"
    }

    private fun statistics(): ProxyStatistics {
        val c = counters
        return ProxyStatistics(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
    }

    private companion object {
        const val FRONTEND = 0
        const val BACKEND = 4

        /** Messages moved one way before looking at the other way and the control socket (libzmq uses 1000). */
        const val BURST = 1000
    }
}
