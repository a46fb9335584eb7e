@file:JvmName("NioPerf")

package io.zerokt.benchmarks.peers

import java.net.InetSocketAddress
import java.net.URI
import java.nio.ByteBuffer
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel

/**
 * The reference for large messages: what a plain blocking `java.nio` socket pair moves over loopback, with no
 * messaging library (main class `io.zerokt.benchmarks.peers.NioPerf`). local-thr reads SIZE × COUNT bytes through a
 * 64 KiB buffer and reports them as COUNT messages; remote-thr writes COUNT buffers of SIZE bytes. The kernel's
 * socket buffers are left to autotune (setting SO_RCVBUF/SO_SNDBUF would turn that off and cap the window). tcp
 * only; arguments and output as [PerfArgs].
 */
fun main(args: Array<String>) {
    val a = PerfArgs.parse("nio-perf", args)
    val uri = URI(a.endpoint)
    require(uri.scheme == "tcp") { "nio-perf: only tcp:// endpoints" }
    when (a.mode) {
        "local-thr" -> localThr(InetSocketAddress(uri.host, uri.port), a)
        "remote-thr" -> remoteThr(InetSocketAddress(uri.host, uri.port), a)
        else -> throw IllegalArgumentException("nio-perf: only local-thr and remote-thr")
    }
}

private fun localThr(address: InetSocketAddress, a: PerfArgs) {
    ServerSocketChannel.open().use { server ->
        server.bind(address)
        server.accept().use { channel ->
            val buffer = ByteBuffer.allocateDirect(BUFFER)
            read(channel, buffer, a.warmup.toLong() * a.size)
            read(channel, buffer, a.size.toLong()) // libzmq starts its stopwatch at the first message
            val start = System.nanoTime()
            read(channel, buffer, (a.count - 1).toLong() * a.size)
            val elapsed = (System.nanoTime() - start) / 1_000
            print(throughputLines(a.size, a.count, elapsed))
            System.out.flush()
        }
    }
}

private fun read(channel: SocketChannel, buffer: ByteBuffer, bytes: Long) {
    var left = bytes
    while (left > 0) {
        buffer.clear()
        if (left < buffer.capacity()) buffer.limit(left.toInt())
        val n = channel.read(buffer)
        if (n < 0) throw IllegalStateException("the sender closed with $left bytes still to come")
        left -= n
    }
}

private fun remoteThr(address: InetSocketAddress, a: PerfArgs) {
    connect(address).use { channel ->
        val message = ByteBuffer.allocateDirect(maxOf(a.size, 1)).limit(a.size)
        repeat(a.count) {
            message.clear().limit(a.size)
            while (message.hasRemaining()) channel.write(message)
        }
        if (a.hold) awaitStdinEnd()
    }
}

/** Connects, retrying for up to 10 s while the receiver is not yet listening (ZeroMQ sockets do the same). */
private fun connect(address: InetSocketAddress): SocketChannel {
    val deadline = System.nanoTime() + 10_000_000_000L
    while (true) {
        try {
            return SocketChannel.open(address)
        } catch (e: java.net.ConnectException) {
            if (System.nanoTime() > deadline) throw e
            Thread.sleep(10)
        }
    }
}

private const val BUFFER = 64 * 1024
