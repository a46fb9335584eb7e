package io.zerokt.benchmarks.rig

import org.zeromq.SocketType
import org.zeromq.ZMQ

/** JeroMQ REQ/REP or DEALER/ROUTER: a thread echoes what the server receives (a ROUTER's envelope included). */
internal class JeroMqRoundTrip(pattern: RoundTripPattern, transport: Transport, size: Int) : JeroMqRig(), RoundTripRig {
    private val server = socket(if (pattern == RoundTripPattern.REQ_REP) SocketType.REP else SocketType.ROUTER, POLL_MILLIS)
    private val client = socket(if (pattern == RoundTripPattern.REQ_REP) SocketType.REQ else SocketType.DEALER)
    private val request = payload(size)

    init {
        join(server, transport, listOf(client))
        background("jeromq-echo") { while (running) echoOne() }
    }

    /** Sends back one whole message (every frame), or returns when none came within [POLL_MILLIS]. */
    private fun echoOne() {
        var frame = server.recv(0) ?: return
        while (server.hasReceiveMore()) {
            server.send(frame, ZMQ.SNDMORE)
            frame = server.recv(0)
        }
        server.send(frame, 0)
    }

    override fun roundTrips(count: Int) {
        repeat(count) {
            if (!client.send(request, 0)) error("JeroMQ send timed out")
            client.recv(0) ?: error("JeroMQ reply did not come within $RIG_TIMEOUT_MILLIS ms")
        }
    }
}
