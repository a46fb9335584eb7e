package io.zerokt.testing

import java.io.EOFException
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.net.SocketException
import java.net.SocketTimeoutException
import java.nio.ByteBuffer
import java.util.concurrent.CopyOnWriteArrayList

/**
 * A raw TCP connection that speaks whatever bytes a test gives it, for hostile-input tests: malformed greetings,
 * oversized or truncated frames, unknown commands, a handshake that never finishes. Blocking, and every read is
 * bounded by a timeout. Build the bytes with [Zmtp].
 *
 * Get one with [connect] (a client towards a socket under test) or from [RawZmtpServer.accept] (the server side,
 * towards a connecting socket under test).
 */
class RawZmtpPeer internal constructor(private val socket: Socket) : AutoCloseable {
    private val input: InputStream = socket.getInputStream()
    private val output: OutputStream = socket.getOutputStream()

    /** `tcp://host:port` of the other side. */
    val remoteEndpoint: String get() = "tcp://${socket.inetAddress.hostAddress}:${socket.port}"

    /** This side's local port. */
    val localPort: Int get() = socket.localPort

    /** Whether [close] was called. */
    val isClosed: Boolean get() = socket.isClosed

    /** Writes [bytes] and flushes. Throws [IOException] when the peer is gone. */
    fun write(bytes: ByteArray) {
        output.write(bytes)
        output.flush()
    }

    /** Writes each of [chunks] in turn, flushing after each (to split input at chosen boundaries). */
    fun writeChunks(chunks: List<ByteArray>) {
        chunks.forEach(::write)
    }

    /** Writes a whole message of [frames] (message frames, MORE on all but the last). */
    fun sendMessage(frames: List<ByteArray>): Unit = write(Zmtp.message(frames))

    /**
     * Reads exactly [n] bytes within [timeoutMs]. Throws [SocketTimeoutException] when they do not all come in time and
     * [EOFException] when the peer closes first.
     */
    @JvmOverloads
    fun readExactly(n: Int, timeoutMs: Long = DEFAULT_TIMEOUT_MS): ByteArray {
        val out = ByteArray(n)
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        var got = 0
        while (got < n) {
            socket.soTimeout = remainingMs(deadline, "reading $n bytes (got $got)")
            val r = try {
                input.read(out, got, n - got)
            } catch (e: SocketTimeoutException) {
                throw SocketTimeoutException("timed out after $timeoutMs ms reading $n bytes (got $got)")
            }
            if (r < 0) throw EOFException("peer closed after $got of $n bytes")
            got += r
        }
        return out
    }

    /** Reads the other side's 64-octet greeting. */
    @JvmOverloads
    fun readGreeting(timeoutMs: Long = DEFAULT_TIMEOUT_MS): ZmtpGreeting = ZmtpGreeting(readExactly(Zmtp.GREETING_SIZE, timeoutMs))

    /** Reads one frame (flags, short or long size, body) within [timeoutMs]. */
    @JvmOverloads
    fun readFrame(timeoutMs: Long = DEFAULT_TIMEOUT_MS): ZmtpFrame {
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        val flags = readExactly(1, timeoutMs)[0].toInt() and 0xFF
        val size = if (flags and Zmtp.FLAG_LONG != 0) {
            ByteBuffer.wrap(readExactly(8, remainingMs(deadline, "reading a frame size").toLong())).long
        } else {
            (readExactly(1, remainingMs(deadline, "reading a frame size").toLong())[0].toLong() and 0xFF)
        }
        if (size > Int.MAX_VALUE - 16) throw IOException("frame of $size bytes is too large for this peer")
        val body = if (size == 0L) ByteArray(0) else readExactly(size.toInt(), remainingMs(deadline, "reading a frame body").toLong())
        return ZmtpFrame(flags, body)
    }

    /** Reads one whole message (frames up to one without MORE), skipping command frames, within [timeoutMs]. */
    @JvmOverloads
    fun readMessage(timeoutMs: Long = DEFAULT_TIMEOUT_MS): List<ByteArray> {
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        val out = ArrayList<ByteArray>()
        while (true) {
            val f = readFrame(remainingMs(deadline, "reading a message").toLong())
            if (f.isCommand) continue
            out += f.body
            if (!f.more) return out
        }
    }

    /**
     * A whole NULL handshake as a well-behaved peer: sends a 3.1 greeting and a READY for [socketType] (with
     * [identity]), then reads the other side's greeting and its first command (normally READY, or ERROR).
     */
    @JvmOverloads
    fun nullHandshake(socketType: String, identity: ByteArray? = null, timeoutMs: Long = DEFAULT_TIMEOUT_MS): Handshake {
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        write(Zmtp.greeting())
        write(Zmtp.readyCommand(socketType, identity))
        val g = readGreeting(remainingMs(deadline, "reading the greeting").toLong())
        val c = readFrame(remainingMs(deadline, "reading READY").toLong())
        return Handshake(g, c)
    }

    /** The other side's part of a handshake: its [greeting] and first [command]. */
    data class Handshake(val greeting: ZmtpGreeting, val command: ZmtpFrame)

    /**
     * Waits up to [timeoutMs] for the other side to drop the connection, discarding whatever it sends meanwhile.
     * True when it did (end of stream or a reset), false when the connection was still up at the deadline.
     */
    @JvmOverloads
    fun awaitClosedByPeer(timeoutMs: Long = DEFAULT_TIMEOUT_MS): Boolean {
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        val buf = ByteArray(8192)
        while (true) {
            val left = (deadline - System.nanoTime()) / 1_000_000
            if (left <= 0) return false
            socket.soTimeout = left.toInt().coerceAtLeast(1)
            try {
                if (input.read(buf) < 0) return true
            } catch (_: SocketTimeoutException) {
                return false
            } catch (_: SocketException) {
                return true // reset by peer
            }
        }
    }

    /** Half-closes: sends FIN but keeps reading. */
    fun shutdownOutput(): Unit = socket.shutdownOutput()

    /** Closes the connection; idempotent. */
    override fun close() {
        try {
            socket.close()
        } catch (_: IOException) {
        }
    }

    /** Closes with an RST instead of a FIN (SO_LINGER 0). */
    fun abort() {
        try {
            socket.setSoLinger(true, 0)
        } catch (_: IOException) {
        }
        close()
    }

    override fun toString(): String = "RawZmtpPeer(local=$localPort, remote=$remoteEndpoint)"

    private fun remainingMs(deadline: Long, doing: String): Int {
        val left = (deadline - System.nanoTime()) / 1_000_000
        if (left <= 0) throw SocketTimeoutException("timed out $doing")
        return left.coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
    }

    companion object {
        /** The default bound of a read: 5 s. */
        const val DEFAULT_TIMEOUT_MS: Long = 5_000

        /** Connects to [host]:[port] within [timeoutMs]. */
        @JvmStatic
        @JvmOverloads
        fun connect(host: String, port: Int, timeoutMs: Long = DEFAULT_TIMEOUT_MS): RawZmtpPeer {
            val s = Socket()
            try {
                s.tcpNoDelay = true
                s.connect(InetSocketAddress(host, port), timeoutMs.toInt())
            } catch (e: IOException) {
                s.close()
                throw e
            }
            return RawZmtpPeer(s)
        }

        /** Connects to a `tcp://host:port` endpoint (for example a socket's resolved last endpoint). */
        @JvmStatic
        @JvmOverloads
        fun connect(tcpEndpoint: String, timeoutMs: Long = DEFAULT_TIMEOUT_MS): RawZmtpPeer =
            connect(Ports.hostOf(tcpEndpoint), Ports.portOf(tcpEndpoint), timeoutMs)
    }
}

/**
 * A raw TCP listener on 127.0.0.1 with an ephemeral port, for testing a connecting socket against a hostile server:
 * connect the socket under test to [endpoint], [accept] the connection, then script it through the [RawZmtpPeer].
 * [close] closes the listener and every accepted connection.
 */
class RawZmtpServer @JvmOverloads constructor(backlog: Int = 50) : AutoCloseable {
    private val server = ServerSocket()
    private val accepted = CopyOnWriteArrayList<RawZmtpPeer>()

    init {
        server.reuseAddress = true
        server.bind(InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog)
    }

    /** The port this server listens on. */
    val port: Int get() = server.localPort

    /** `tcp://127.0.0.1:PORT`. */
    val endpoint: String get() = "tcp://127.0.0.1:$port"

    /** Waits up to [timeoutMs] for a connection; throws [SocketTimeoutException] when none comes. */
    @JvmOverloads
    fun accept(timeoutMs: Long = RawZmtpPeer.DEFAULT_TIMEOUT_MS): RawZmtpPeer {
        server.soTimeout = timeoutMs.toInt().coerceAtLeast(1)
        val s = server.accept()
        s.tcpNoDelay = true
        return RawZmtpPeer(s).also { accepted += it }
    }

    /** Closes the listener and every accepted connection; idempotent. */
    override fun close() {
        try {
            server.close()
        } catch (_: IOException) {
        }
        accepted.forEach { it.close() }
    }

    override fun toString(): String = "RawZmtpServer($endpoint)"
}
