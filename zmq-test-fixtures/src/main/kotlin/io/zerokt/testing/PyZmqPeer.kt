package io.zerokt.testing

import java.io.BufferedReader
import java.io.IOException
import java.io.InputStreamReader
import java.io.Writer
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.HexFormat
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * A real libzmq 4.3 socket in a `/usr/bin/python3` + `python3-zmq` subprocess, driven over its stdin/stdout with the
 * line protocol of `zmq_peer.py` (a resource next to this class).
 *
 * ```
 * PyZmqPeer.start().use { p ->
 *     p.socket("PULL")
 *     val ep = p.bind(Endpoints.tcpWildcard())
 *     ...
 *     p.recv(5_000)   // List<ByteArray>?, null on timeout
 * }
 * ```
 * [start] goes through the interop gate first ([Interop.requireLibzmq]): without libzmq the test is skipped, or fails
 * under `-Dinterop.required=true`. Each call is bounded; a peer that does not answer in time is killed and the call
 * throws [InteropPeerException]. [close] always ends the process (a JVM shutdown hook kills any left over, and the
 * script exits by itself when its stdin closes). The socket stays open, with its queued messages, until [closeSocket]
 * or [close]: keep a sending peer open until the receiver has everything (libzmq may lose an ipc tail otherwise).
 */
class PyZmqPeer private constructor(private val process: Process) : InteropPeer {
    private val lock = ReentrantLock()
    private val replies = LinkedBlockingQueue<String>()
    private val stderrTail = StringBuilder()
    private val stdin: Writer = process.outputStream.bufferedWriter(StandardCharsets.US_ASCII)

    @Volatile
    private var closed = false

    private val errReader: Thread

    @Volatile
    private var broken: String? = null

    /** "libzmq X.Y.Z (pyzmq V)". */
    override val implementation: String

    /** The libzmq version the peer runs, e.g. "4.3.4". */
    val libzmqVersion: String

    override val supportsIpc: Boolean get() = true

    /** The subprocess id (for diagnostics). */
    val pid: Long get() = process.pid()

    /** Whether the subprocess is still running. */
    val isAlive: Boolean get() = process.isAlive

    init {
        daemon("zkt-pyzmq-out-${process.pid()}") {
            try {
                BufferedReader(InputStreamReader(process.inputStream, StandardCharsets.US_ASCII), 1 shl 16).use { r ->
                    while (true) replies.put(r.readLine() ?: break)
                }
            } catch (_: IOException) {
            } finally {
                replies.put(EOF)
            }
        }
        errReader = daemon("zkt-pyzmq-err-${process.pid()}") {
            try {
                process.errorStream.bufferedReader().use { r ->
                    while (true) {
                        val line = r.readLine() ?: break
                        synchronized(stderrTail) {
                            stderrTail.append(line).append('\n')
                            if (stderrTail.length > 8192) stderrTail.delete(0, stderrTail.length - 8192)
                        }
                    }
                }
            } catch (_: IOException) {
            }
        }
        val v = try {
            call("version", STARTUP_TIMEOUT_MS).split(' ')
        } catch (e: Throwable) {
            close()
            throw e
        }
        libzmqVersion = v[0]
        implementation = "libzmq ${v[0]} (pyzmq ${v.getOrElse(1) { "?" }})"
    }

    override fun socket(type: String) {
        call("socket ${type.uppercase()}")
    }

    override fun setOption(name: String, value: Int) {
        call("setsockopt ${optionName(name)} int:$value")
    }

    override fun setOption(name: String, value: Long) {
        call("setsockopt ${optionName(name)} int:$value")
    }

    override fun setOption(name: String, value: ByteArray) {
        call("setsockopt ${optionName(name)} hex:${HEX.formatHex(value)}")
    }

    /** Reads option [name]: an [Int] for integer options, else a [ByteArray]. */
    fun getOption(name: String): Any {
        val r = call("getsockopt ${optionName(name)}")
        return when {
            r.startsWith("int:") -> r.removePrefix("int:").toLong().let { if (it in Int.MIN_VALUE..Int.MAX_VALUE) it.toInt() else it }
            r.startsWith("hex:") -> HEX.parseHex(r.removePrefix("hex:"))
            else -> throw InteropPeerException("$implementation: bad getsockopt reply '$r'")
        }
    }

    /**
     * Starts (once) pyzmq's `ThreadAuthenticator` in the peer's context and configures it: `plain USER:PASS,...`,
     * `curve any`, `curve DIRECTORY` (zcert public certificates) or `deny IP`.
     */
    fun authenticator(command: String) {
        call("auth ${checkArg(command)}")
    }

    override fun bind(endpoint: String): String = call("bind ${checkArg(endpoint)}")

    override fun unbind(endpoint: String) {
        call("unbind ${checkArg(endpoint)}")
    }

    override fun connect(endpoint: String) {
        call("connect ${checkArg(endpoint)}")
    }

    override fun disconnect(endpoint: String) {
        call("disconnect ${checkArg(endpoint)}")
    }

    override fun trySend(frames: List<ByteArray>, timeoutMs: Long): Boolean {
        require(frames.isNotEmpty()) { "a message has at least one frame" }
        val line = buildString(16 + frames.sumOf { it.size * 2 + 1 }) {
            append("send ").append(timeoutMs).append(' ').append(frames.size).append(' ')
            frames.forEachIndexed { i, f ->
                if (i > 0) append(',')
                append(HEX.formatHex(f))
            }
        }
        return call(line, timeoutMs + REPLY_MARGIN_MS, allowTimeout = true) != TIMEOUT
    }

    override fun recv(timeoutMs: Long): List<ByteArray>? {
        val r = call("recv $timeoutMs", timeoutMs + REPLY_MARGIN_MS, allowTimeout = true)
        if (r == TIMEOUT) return null
        val count = r.substringBefore(' ').toInt()
        val body = r.substringAfter(' ', "")
        val parts = if (count == 0) emptyList() else body.split(',')
        if (parts.size != count) throw InteropPeerException("$implementation: bad recv reply ($count frames announced)")
        return parts.map { HEX.parseHex(it) }
    }

    override fun monitor() {
        call("monitor")
    }

    override fun nextEvent(timeoutMs: Long): PeerEvent? {
        val r = call("event $timeoutMs", timeoutMs + REPLY_MARGIN_MS, allowTimeout = true)
        if (r == TIMEOUT) return null
        val p = r.split(' ')
        return PeerEvent(p[0].toInt(), p[1].toLong(), HEX.parseHex(p.getOrElse(2) { "" }).decodeToString())
    }

    override fun closeSocket(lingerMs: Int?) {
        call(if (lingerMs == null) "close" else "close $lingerMs")
    }

    override fun close() {
        if (closed) return
        closed = true
        try {
            lock.tryLock(1, TimeUnit.SECONDS)
            try {
                stdin.write("quit\n")
                stdin.flush()
            } catch (_: IOException) {
            } finally {
                try {
                    stdin.close()
                } catch (_: IOException) {
                }
            }
            if (!process.waitFor(QUIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly()
                process.waitFor(QUIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            }
        } catch (_: Throwable) {
            process.destroyForcibly()
        } finally {
            if (lock.isHeldByCurrentThread) lock.unlock()
            live -= process
        }
    }

    override fun toString(): String = "PyZmqPeer(pid=${process.pid()}, ${if (closed) "closed" else "open"})"

    private fun call(command: String, timeoutMs: Long = CALL_TIMEOUT_MS, allowTimeout: Boolean = false): String = lock.withLock {
        if (closed) throw InteropPeerException("PyZmqPeer is closed")
        broken?.let { throw InteropPeerException("PyZmqPeer is unusable: $it") }
        try {
            stdin.write(command)
            stdin.write("\n")
            stdin.flush()
        } catch (e: IOException) {
            fail("could not write '${brief(command)}': $e", e)
        }
        val reply = replies.poll(timeoutMs, TimeUnit.MILLISECONDS)
            ?: fail("no reply to '${brief(command)}' within $timeoutMs ms; the peer was killed")
        when {
            reply == EOF -> fail("the peer process ended during '${brief(command)}'")
            reply == "ok" -> ""
            reply.startsWith("ok ") -> reply.substring(3)
            reply == TIMEOUT && allowTimeout -> TIMEOUT
            reply.startsWith("err ") -> throw InteropPeerException("libzmq peer: '${brief(command)}' failed: ${reply.substring(4)}")
            else -> fail("unexpected reply '${brief(reply)}' to '${brief(command)}'")
        }
    }

    private fun fail(why: String, cause: Throwable? = null): Nothing {
        broken = why
        process.destroyForcibly()
        try {
            process.waitFor(QUIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        } catch (_: InterruptedException) {
        }
        try {
            errReader.join(1_000)
        } catch (_: InterruptedException) {
        }
        val exit = if (process.isAlive) "still running" else "exit ${process.exitValue()}"
        val err = synchronized(stderrTail) { stderrTail.toString().trim() }
        throw InteropPeerException("libzmq peer (pid ${process.pid()}, $exit): $why" + if (err.isEmpty()) "" else "\n--- peer stderr ---\n$err", cause)
    }

    private fun checkArg(s: String): String {
        require(s.none { it == '\n' || it == '\r' }) { "no line breaks in peer arguments" }
        return s
    }

    private fun optionName(name: String): String = checkArg(name.uppercase().removePrefix("ZMQ_")).also {
        require(it.isNotEmpty() && ' ' !in it) { "bad option name '$name'" }
    }

    private fun brief(s: String) = if (s.length > 120) s.take(120) + "…" else s

    companion object {
        private const val EOF = "\u0000EOF"
        private const val TIMEOUT = "timeout"
        private const val CALL_TIMEOUT_MS = 10_000L
        private const val STARTUP_TIMEOUT_MS = 20_000L
        private const val REPLY_MARGIN_MS = 10_000L
        private const val QUIT_TIMEOUT_MS = 3_000L
        private val HEX = HexFormat.of()
        private val live: MutableSet<Process> = ConcurrentHashMap.newKeySet()

        init {
            Runtime.getRuntime().addShutdownHook(Thread({ live.forEach { it.destroyForcibly() } }, "zkt-pyzmq-reaper"))
        }

        private val script: Path by lazy {
            val url = PyZmqPeer::class.java.getResource("zmq_peer.py")
                ?: throw IllegalStateException("resource io/zerokt/testing/zmq_peer.py is missing")
            val file = Files.createTempFile("zkt-zmq-peer-", ".py")
            file.toFile().deleteOnExit()
            url.openStream().use { Files.copy(it, file, StandardCopyOption.REPLACE_EXISTING) }
            file
        }

        /**
         * Starts a libzmq peer process. Passes the interop gate first: without libzmq it skips the test (or fails it
         * when `-Dinterop.required=true`). Throws [InteropPeerException] when the process does not come up.
         */
        @JvmStatic
        fun start(): PyZmqPeer {
            Interop.requireLibzmq()
            val process = ProcessBuilder(Interop.PYTHON, "-u", script.toString())
                .also { it.environment()["PYTHONDONTWRITEBYTECODE"] = "1" }
                .start()
            live += process
            return PyZmqPeer(process)
        }

        private fun daemon(name: String, body: () -> Unit): Thread =
            Thread(body, name).apply { isDaemon = true }.also { it.start() }
    }
}
