package io.zerokt.examples.zkt

import io.zerokt.Context
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.Socket
import io.zerokt.SocketType
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.firstOrNull
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull

/**
 * The ZeroKt side of `zkt perf`: each measurement makes a binding socket and a connecting one in a fresh [Context],
 * runs an untimed warm-up, then the timed part. Throughput is timed at the receiver, latency at the client. An
 * io_uring row whose sockets fell back to the default engine says so in its note, so that its numbers are not taken
 * for io_uring's.
 */
internal class ZeroKtBench(private val common: CommonOptions) {
    /** The row being measured: which engine (and io_uring tuning) its sockets get. */
    private var engine: Impl = Impl.ZEROKT

    /** Why the row's sockets are on the default engine though it asked for io_uring (null: they are not). */
    private var fallback: String? = null

    /** Measures [case] in [context], binding to [endpoint] (`tcp://127.0.0.1:*` for tcp). */
    suspend fun measure(context: Context, case: PerfCase, endpoint: String, counts: PerfCounts): Measured {
        engine = case.impl
        fallback = null
        val measured = measureOnce(context, case, endpoint, counts)
        val why = fallback ?: return measured
        return measured.copy(note = listOfNotNull(measured.note, "fell back to the default engine: $why").joinToString("; "))
    }

    private suspend fun measureOnce(context: Context, case: PerfCase, endpoint: String, counts: PerfCounts): Measured {
        val payload = Message.of(Frame.wrap(ByteArray(case.size)))
        return when (case.pattern) {
            PerfPattern.PUSH_PULL -> {
                val (push, pull) = pair(context, SocketType.PUSH, SocketType.PULL, endpoint)
                stream(push, pull, payload, counts)
            }
            PerfPattern.DEALER_ROUTER_THROUGHPUT -> {
                val (dealer, router) = pair(context, SocketType.DEALER, SocketType.ROUTER, endpoint)
                stream(dealer, router, payload, counts)
            }
            PerfPattern.PUB_SUB -> publish(context, endpoint, payload, counts)
            PerfPattern.REQ_REP -> {
                val (req, rep) = pair(context, SocketType.REQ, SocketType.REP, endpoint)
                roundTrips(req, rep, payload, counts)
            }
            PerfPattern.DEALER_ROUTER_LATENCY -> {
                val (dealer, router) = pair(context, SocketType.DEALER, SocketType.ROUTER, endpoint)
                roundTrips(dealer, router, payload, counts)
            }
        }
    }

    /** A client socket connected to a server socket bound to [endpoint]; [tune] runs before bind and connect. */
    private suspend fun pair(
        context: Context,
        clientType: SocketType,
        serverType: SocketType,
        endpoint: String,
        tune: (client: Socket, server: Socket) -> Unit = { _, _ -> },
    ): Pair<Socket, Socket> {
        val server = common.newSocket(context, serverType, Role.SERVER).apply { linger = 0; selectEngine() }
        val client = common.newSocket(context, clientType, Role.CLIENT).apply { linger = 0; selectEngine() }
        tune(client, server)
        // The context reports a fallback on the bind's monitor, before the bind's LISTENING: both are queued by the
        // time bind returns. A context falls back for all its sockets or none, so the server's events tell.
        val events = if (server.ioUring) server.monitor() else null
        describing("cannot bind to $endpoint") { server.bind(endpoint) }
        events?.firstOrNull { it.type == MonitorEventType.LISTENING || it.type == MonitorEventType.ENGINE_FALLBACK }
            ?.takeIf { it.type == MonitorEventType.ENGINE_FALLBACK }
            ?.let { fallback = it.reason ?: "no reason given" }
        val resolved = server.lastEndpoint
            ?: if (endpoint.endsWith(":*")) throw ZktException("no lastEndpoint after binding $endpoint") else endpoint
        describing("cannot connect to $resolved") { client.connect(resolved) }
        return client to server
    }

    /** [sender] sends warm-up + timed messages flat out; [receiver] times the timed ones. */
    private suspend fun stream(sender: Socket, receiver: Socket, payload: Message, counts: PerfCounts): Measured =
        coroutineScope {
            launch { repeat(counts.warmUp + counts.timed) { if (!sender.trySend(payload)) sender.send(payload) } }
            repeat(counts.warmUp) { receiver.tryReceive() ?: receiver.receive() }
            val start = System.nanoTime()
            repeat(counts.timed) { receiver.tryReceive() ?: receiver.receive() }
            Measured.throughput(counts.timed, System.nanoTime() - start)
        }

    /** [client] sends a message and waits for [server] to send it back, again and again. */
    private suspend fun roundTrips(client: Socket, server: Socket, payload: Message, counts: PerfCounts): Measured =
        coroutineScope {
            // REP gets the bare payload; ROUTER gets [routing id, payload]: either way, sending back what came in
            // answers the client.
            launch { repeat(counts.warmUp + counts.timed) { server.send(server.receive()) } }
            repeat(counts.warmUp) { client.send(payload); client.receive() }
            val start = System.nanoTime()
            repeat(counts.timed) { client.send(payload); client.receive() }
            Measured.latency(counts.timed, System.nanoTime() - start)
        }

    /**
     * PUB/SUB throughput. Both high-water marks are 0 (no limit), so the PUB drops nothing; the SUB first waits for
     * a probe to prove its subscription has reached the PUB (the slow-joiner problem), and stops after
     * [IDLE_MILLIS] without a message should any be lost anyway (reported in the note).
     */
    private suspend fun publish(context: Context, endpoint: String, payload: Message, counts: PerfCounts): Measured {
        val (sub, pub) = pair(context, SocketType.SUB, SocketType.PUB, endpoint) { sub, pub ->
            pub.sendHighWaterMark = 0
            sub.receiveHighWaterMark = 0
            sub.subscribe("")
        }
        return coroutineScope {
            val prober = launch { while (isActive) { pub.trySend(PROBE); delay(PROBE_INTERVAL_MILLIS) } }
            sub.receive()
            prober.cancel()
            launch { repeat(counts.warmUp + counts.timed) { if (!pub.trySend(payload)) pub.send(payload) } }
            // Probes still in flight are two-frame messages; the payload has one frame.
            suspend fun nextPayload(): Boolean {
                while (true) {
                    val message = sub.tryReceive() ?: withTimeoutOrNull(IDLE_MILLIS) { sub.receive() } ?: return false
                    if (message.size == 1) return true
                }
            }
            repeat(counts.warmUp) { if (!nextPayload()) throw ZktException("warm-up messages lost") }
            val start = System.nanoTime()
            var received = 0
            var end = start
            while (received < counts.timed && nextPayload()) {
                received++
                end = System.nanoTime()
            }
            val note = if (received < counts.timed) "${counts.timed - received} of ${counts.timed} lost" else null
            Measured.throughput(received, end - start, note)
        }
    }

    /** Puts this socket on the engine of the row being measured (perf's default rows stay on the default engine). */
    private fun Socket.selectEngine() {
        ioUring = engine != Impl.ZEROKT
        when (engine) {
            Impl.ZEROKT_IO_URING_CORK -> ioUringTcpCork = true
            Impl.ZEROKT_IO_URING_ZC -> ioUringSendZeroCopyThreshold = ZC_THRESHOLD
            Impl.ZEROKT_IO_URING_MULTISHOT -> ioUringMultishot = true
            else -> Unit
        }
    }

    private companion object {
        /** The SEND_ZC threshold of the 'io_uring+zc' rows: zero copy only pays for large writes. */
        const val ZC_THRESHOLD = 16 * 1024
        val PROBE: Message = Message.of("zkt-perf-probe", "")
        const val PROBE_INTERVAL_MILLIS = 5L
        const val IDLE_MILLIS = 2_000L
    }
}
