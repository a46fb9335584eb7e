package io.zerokt.benchmarks.rig

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/** ZeroKt REQ/REP or DEALER/ROUTER: a coroutine echoes what the server receives (a ROUTER's envelope included). */
internal class ZeroKtRoundTrip(pattern: RoundTripPattern, transport: Transport, size: Int) : ZeroKtRig(), RoundTripRig {
    private val server = socket(if (pattern == RoundTripPattern.REQ_REP) SocketType.REP else SocketType.ROUTER)
    private val client = socket(if (pattern == RoundTripPattern.REQ_REP) SocketType.REQ else SocketType.DEALER)
    private val request = Message.of(Frame.wrap(payload(size)))

    init {
        join(server, transport, listOf(client))
        scope.launch { while (isActive) server.send(server.receive()) }
    }

    override fun roundTrips(count: Int) = runBlocking {
        repeat(count) {
            client.send(request)
            client.receive()
        }
    }
}
