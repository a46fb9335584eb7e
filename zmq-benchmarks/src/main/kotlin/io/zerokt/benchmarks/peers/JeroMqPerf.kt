@file:JvmName("JeroMqPerf")

package io.zerokt.benchmarks.peers

import org.zeromq.SocketType
import org.zeromq.ZContext
import org.zeromq.ZMQ

/**
 * libzmq's perf tools played by JeroMQ 0.6.0 (main class `io.zerokt.benchmarks.peers.JeroMqPerf`), with the
 * arguments and output of [PerfArgs]: local-thr (PULL), remote-thr (PUSH), local-lat (REP), remote-lat (REQ).
 */
fun main(args: Array<String>) {
    val a = PerfArgs.parse("jeromq-perf", args)
    ZContext(1).use { context ->
        when (a.mode) {
            "local-thr" -> localThr(context, a)
            "remote-thr" -> remoteThr(context, a)
            "local-lat" -> localLat(context, a)
            "remote-lat" -> remoteLat(context, a)
        }
    }
}

private fun localThr(context: ZContext, a: PerfArgs) {
    val pull = context.createSocket(SocketType.PULL)
    pull.bind(a.endpoint)
    repeat(a.warmup) { receive(pull, a.size) }
    receive(pull, a.size)
    val start = System.nanoTime()
    repeat(a.count - 1) { receive(pull, a.size) }
    val elapsed = (System.nanoTime() - start) / 1_000
    print(throughputLines(a.size, a.count, elapsed))
    System.out.flush()
    pull.close()
}

private fun remoteThr(context: ZContext, a: PerfArgs) {
    val push = context.createSocket(SocketType.PUSH)
    push.setLinger(-1)
    push.connect(a.endpoint)
    val bytes = ByteArray(a.size)
    repeat(a.count) { push.send(bytes, 0) }
    if (a.hold) awaitStdinEnd()
    push.close()
}

private fun localLat(context: ZContext, a: PerfArgs) {
    val rep = context.createSocket(SocketType.REP)
    rep.setLinger(-1)
    rep.bind(a.endpoint)
    repeat(a.count) { rep.send(receive(rep, a.size), 0) }
    rep.close()
}

private fun remoteLat(context: ZContext, a: PerfArgs) {
    val req = context.createSocket(SocketType.REQ)
    req.connect(a.endpoint)
    val bytes = ByteArray(a.size)
    repeat(a.warmup) { req.send(bytes, 0); receive(req, a.size) }
    val start = System.nanoTime()
    repeat(a.count) { req.send(bytes, 0); receive(req, a.size) }
    val elapsed = (System.nanoTime() - start) / 1_000
    print(latencyLines(a.size, a.count, elapsed))
    System.out.flush()
    req.setLinger(0)
    req.close()
}

private fun receive(socket: ZMQ.Socket, size: Int): ByteArray {
    val bytes = socket.recv(0) ?: throw IllegalStateException("JeroMQ receive failed: errno ${socket.errno()}")
    checkSize(bytes.size, size)
    return bytes
}
