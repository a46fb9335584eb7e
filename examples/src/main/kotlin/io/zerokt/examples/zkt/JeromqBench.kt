package io.zerokt.examples.zkt

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.zeromq.SocketType
import org.zeromq.ZContext
import org.zeromq.ZMQ

/**
 * The JeroMQ 0.6.0 side of `zkt perf --jeromq`: PUSH/PULL throughput and REQ/REP latency over tcp and inproc,
 * measured exactly as [ZeroKtBench] measures ZeroKt, for side-by-side rows.
 *
 * JeroMQ calls block, so they run on [Dispatchers.IO]. Every socket has send and receive timeouts of
 * [timeoutMillis], so a stall ends on its own with an error.
 */
internal class JeromqBench(private val timeoutMillis: Int) {
    /** Measures [case] in [context]; [inprocName] is a name unique to this measurement. */
    suspend fun measure(context: ZContext, case: PerfCase, inprocName: String, counts: PerfCounts): Measured =
        withContext(Dispatchers.IO) {
            when (case.pattern) {
                PerfPattern.PUSH_PULL -> {
                    val (push, pull) = pair(context, SocketType.PUSH, SocketType.PULL, case.transport, inprocName)
                    stream(push, pull, case.size, counts)
                }
                PerfPattern.REQ_REP -> {
                    val (req, rep) = pair(context, SocketType.REQ, SocketType.REP, case.transport, inprocName)
                    roundTrips(req, rep, case.size, counts)
                }
                else -> throw ZktException("${case.pattern.label} is not measured with JeroMQ")
            }
        }

    private fun pair(
        context: ZContext,
        clientType: SocketType,
        serverType: SocketType,
        transport: Transport,
        inprocName: String,
    ): Pair<ZMQ.Socket, ZMQ.Socket> {
        val server = newSocket(context, serverType)
        val client = newSocket(context, clientType)
        val endpoint = when (transport) {
            Transport.TCP -> "tcp://127.0.0.1:" + server.bindToRandomPort("tcp://127.0.0.1")
            Transport.INPROC -> "inproc://$inprocName".also { server.bind(it) }
            Transport.IPC -> throw ZktException("JeroMQ is not measured over ipc")
        }
        client.connect(endpoint)
        return client to server
    }

    private fun newSocket(context: ZContext, type: SocketType): ZMQ.Socket = context.createSocket(type).apply {
        setLinger(0)
        setSendTimeOut(timeoutMillis)
        setReceiveTimeOut(timeoutMillis)
    }

    private suspend fun stream(push: ZMQ.Socket, pull: ZMQ.Socket, size: Int, counts: PerfCounts): Measured =
        coroutineScope {
            val payload = ByteArray(size)
            launch(Dispatchers.IO) { repeat(counts.warmUp + counts.timed) { send(push, payload) } }
            repeat(counts.warmUp) { receive(pull) }
            val start = System.nanoTime()
            repeat(counts.timed) { receive(pull) }
            Measured.throughput(counts.timed, System.nanoTime() - start)
        }

    private suspend fun roundTrips(req: ZMQ.Socket, rep: ZMQ.Socket, size: Int, counts: PerfCounts): Measured =
        coroutineScope {
            val payload = ByteArray(size)
            launch(Dispatchers.IO) { repeat(counts.warmUp + counts.timed) { send(rep, receive(rep)) } }
            repeat(counts.warmUp) { send(req, payload); receive(req) }
            val start = System.nanoTime()
            repeat(counts.timed) { send(req, payload); receive(req) }
            Measured.latency(counts.timed, System.nanoTime() - start)
        }

    private fun send(socket: ZMQ.Socket, bytes: ByteArray) {
        if (!socket.send(bytes, 0)) throw ZktException("JeroMQ send timed out after $timeoutMillis ms")
    }

    private fun receive(socket: ZMQ.Socket): ByteArray =
        socket.recv(0) ?: throw ZktException("JeroMQ receive timed out after $timeoutMillis ms")
}
