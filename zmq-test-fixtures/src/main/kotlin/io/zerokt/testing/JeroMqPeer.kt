package io.zerokt.testing

import org.zeromq.SocketType
import org.zeromq.ZMQ
import java.util.concurrent.Callable
import java.util.concurrent.ExecutionException
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger

/**
 * A JeroMQ 0.6.0 socket in this JVM behind the [InteropPeer] interface, so interop tests are written once for
 * JeroMQ and libzmq ([PyZmqPeer]).
 *
 * Every call runs on the peer's own thread (JeroMQ sockets are not thread-safe) and is bounded in time. Use JeroMQ
 * over `tcp://` only: its `ipc://` is TCP underneath and does not interoperate ([supportsIpc] is false).
 * [close] closes the socket with LINGER 0 and terminates the JeroMQ context.
 *
 * JeroMQ 0.6.0 has a race on the connecting side (zeromq/jeromq PR #1022, seen here in about 1 of 15 fresh
 * connections to a non-JeroMQ listener): the TCP connect succeeds and the CONNECTED event fires, but JeroMQ never
 * sends its greeting. The peer's socket therefore starts with `HANDSHAKE_IVL` = [DEFAULT_HANDSHAKE_IVL_MS], so
 * such a connection is dropped and re-made within about a second instead of 30 s. A test that counts accepted
 * connections or handshakes from a connecting JeroMQ peer must allow for that extra connection.
 */
class JeroMqPeer private constructor() : InteropPeer {
    private val executor: ExecutorService = Executors.newSingleThreadExecutor { r ->
        Thread(r, "zkt-jeromq-peer-${ids.incrementAndGet()}").apply { isDaemon = true }
    }
    @Volatile
    private var closed = false
    private val ctx: ZMQ.Context = onPeerThread { ZMQ.context(1) }
    private var socket: ZMQ.Socket? = null
    private var inPoller: ZMQ.Poller? = null
    private var outPoller: ZMQ.Poller? = null
    private var monitorSocket: ZMQ.Socket? = null
    private var monitorPoller: ZMQ.Poller? = null

    override val implementation: String get() = "JeroMQ $VERSION"

    override val supportsIpc: Boolean get() = false

    override fun socket(type: String): Unit = onPeerThread {
        check(socket == null) { "this peer already has a socket" }
        val s = ctx.socket(SocketType.valueOf(type.uppercase()))
        // JeroMQ 0.6.0's connect hand-off race (zeromq/jeromq PR #1022): a fresh outgoing connection sometimes never
        // sends its greeting and sits idle until the handshake timer (30 s by default) drops it and reconnects.
        // A short handshake interval turns that into a ~1 s reconnect. setOption("HANDSHAKE_IVL", ...) overrides it.
        s.base().setSocketOpt(zmq.ZMQ.ZMQ_HANDSHAKE_IVL, DEFAULT_HANDSHAKE_IVL_MS)
        socket = s
        inPoller = ctx.poller(1).also { it.register(s, ZMQ.Poller.POLLIN) }
        outPoller = ctx.poller(1).also { it.register(s, ZMQ.Poller.POLLOUT) }
    }

    // JeroMQ takes Integer for most numeric options and Long for a few (MAXMSGSIZE, ...).
    override fun setOption(name: String, value: Int): Unit =
        setOptionAs(name, "$name=$value", value, ClassCastException::class.java) { value.toLong() }

    override fun setOption(name: String, value: Long): Unit =
        setOptionAs(name, "$name=$value", value, ClassCastException::class.java) { Math.toIntExact(value) }

    // JeroMQ takes byte[] for most binary options and String for a few (PLAIN_USERNAME, ZAP_DOMAIN, ...).
    override fun setOption(name: String, value: ByteArray): Unit =
        setOptionAs(name, name, value, IllegalArgumentException::class.java) { value.decodeToString() }

    /** Sets option [name] to [value], or to [other] when JeroMQ refuses [value]'s type by throwing a [refusal]. */
    private fun setOptionAs(name: String, shown: String, value: Any, refusal: Class<out RuntimeException>, other: () -> Any): Unit =
        onPeerThread {
            val s = need()
            val id = optionId(name)
            val ok = try {
                s.base().setSocketOpt(id, value)
            } catch (e: RuntimeException) {
                if (!refusal.isInstance(e)) throw e
                s.base().setSocketOpt(id, other())
            }
            if (!ok) fail("setOption $shown", s)
        }

    override fun bind(endpoint: String): String = onPeerThread {
        val s = need()
        if (!s.bind(endpoint)) fail("bind $endpoint", s)
        s.lastEndpoint
    }

    override fun unbind(endpoint: String): Unit = onPeerThread {
        val s = need()
        if (!s.unbind(endpoint)) fail("unbind $endpoint", s)
    }

    override fun connect(endpoint: String): Unit = onPeerThread {
        val s = need()
        if (!s.connect(endpoint)) fail("connect $endpoint", s)
    }

    override fun disconnect(endpoint: String): Unit = onPeerThread {
        val s = need()
        if (!s.disconnect(endpoint)) fail("disconnect $endpoint", s)
    }

    override fun trySend(frames: List<ByteArray>, timeoutMs: Long): Boolean {
        require(frames.isNotEmpty()) { "a message has at least one frame" }
        return onPeerThread(timeoutMs + MARGIN_MS) {
            val s = need()
            val p = outPoller!!
            if (p.poll(timeoutMs) <= 0 || !p.pollout(0)) return@onPeerThread false
            frames.forEachIndexed { i, f ->
                val flags = ZMQ.DONTWAIT or if (i < frames.size - 1) ZMQ.SNDMORE else 0
                if (!s.send(f, flags)) {
                    if (i == 0 && s.errno() == ZMQ.Error.EAGAIN.code) return@onPeerThread false
                    fail("send (frame $i)", s)
                }
            }
            true
        }
    }

    override fun recv(timeoutMs: Long): List<ByteArray>? = onPeerThread(timeoutMs + MARGIN_MS) {
        val s = need()
        val p = inPoller!!
        if (p.poll(timeoutMs) <= 0 || !p.pollin(0)) return@onPeerThread null
        val out = ArrayList<ByteArray>()
        do {
            out += s.recv(ZMQ.DONTWAIT) ?: fail("recv", s)
        } while (s.hasReceiveMore())
        out
    }

    override fun monitor(): Unit = onPeerThread {
        val s = need()
        if (monitorSocket != null) return@onPeerThread
        val addr = "inproc://zkt-jeromq-monitor-${ids.incrementAndGet()}"
        if (!s.monitor(addr, ZMQ.EVENT_ALL)) fail("monitor", s)
        val m = ctx.socket(SocketType.PAIR)
        m.connect(addr)
        monitorSocket = m
        monitorPoller = ctx.poller(1).also { it.register(m, ZMQ.Poller.POLLIN) }
    }

    @Suppress("DEPRECATION") // ZMQ.Event is the monitor API JeroMQ 0.6.0 has
    override fun nextEvent(timeoutMs: Long): PeerEvent? = onPeerThread(timeoutMs + MARGIN_MS) {
        val m = monitorSocket ?: throw InteropPeerException("no monitor: call monitor() first")
        val p = monitorPoller!!
        if (p.poll(timeoutMs) <= 0 || !p.pollin(0)) return@onPeerThread null
        val e = ZMQ.Event.recv(m, ZMQ.DONTWAIT) ?: return@onPeerThread null
        PeerEvent(e.event, (e.value as? Number)?.toLong() ?: 0L, e.address ?: "")
    }

    override fun closeSocket(lingerMs: Int?): Unit = onPeerThread {
        closeSockets(lingerMs)
    }

    override fun close() {
        if (closed) return
        try {
            onPeerThread(CLOSE_TIMEOUT_MS) {
                closeSockets(0)
                ctx.close()
            }
        } catch (_: Throwable) {
            // bounded: a context that does not terminate is abandoned with its daemon thread
        } finally {
            closed = true
            executor.shutdownNow()
        }
    }

    override fun toString(): String = "JeroMqPeer(${if (closed) "closed" else "open"})"

    private fun closeSockets(lingerMs: Int?) {
        monitorPoller?.close()
        monitorPoller = null
        monitorSocket?.let { it.setLinger(0); it.close() }
        monitorSocket = null
        inPoller?.close()
        outPoller?.close()
        inPoller = null
        outPoller = null
        socket?.let { s ->
            if (lingerMs != null) s.setLinger(lingerMs)
            s.close()
        }
        socket = null
    }

    private fun need(): ZMQ.Socket = socket ?: throw InteropPeerException("no socket: call socket(type) first")

    private fun fail(what: String, s: ZMQ.Socket): Nothing {
        val errno = s.errno()
        val name = ZMQ.Error.entries.firstOrNull { it.code == errno }?.name ?: errno.toString()
        throw InteropPeerException("JeroMQ peer: $what failed: $name")
    }

    private fun optionId(name: String): Int {
        val n = name.uppercase().removePrefix("ZMQ_")
        val candidates = listOf(n) + (ALIASES[n] ?: emptyList())
        for (c in candidates) {
            val f = try {
                zmq.ZMQ::class.java.getField("ZMQ_$c")
            } catch (_: NoSuchFieldException) {
                continue
            }
            return f.getInt(null)
        }
        throw InteropPeerException("JeroMQ peer: unknown option $name")
    }

    private fun <T> onPeerThread(timeoutMs: Long = CALL_TIMEOUT_MS, body: () -> T): T {
        if (closed) throw InteropPeerException("JeroMqPeer is closed")
        val f = executor.submit(Callable(body))
        return try {
            f.get(timeoutMs, TimeUnit.MILLISECONDS)
        } catch (e: TimeoutException) {
            f.cancel(true)
            throw InteropPeerException("JeroMQ peer: call did not finish within $timeoutMs ms", e)
        } catch (e: ExecutionException) {
            when (val c = e.cause) {
                is InteropPeerException -> throw InteropPeerException(c.message ?: "failed", c)
                is Exception -> throw InteropPeerException("JeroMQ peer: $c", c)
                else -> throw c ?: e
            }
        }
    }

    companion object {
        /** The JeroMQ version on the classpath. */
        const val VERSION: String = "0.6.0"

        /** The `HANDSHAKE_IVL` a JeroMQ peer's socket starts with (see the class comment): 1000 ms. */
        const val DEFAULT_HANDSHAKE_IVL_MS: Int = 1000
        private const val CALL_TIMEOUT_MS = 10_000L
        private const val CLOSE_TIMEOUT_MS = 5_000L
        private const val MARGIN_MS = 10_000L
        private val ids = AtomicInteger()
        private val ALIASES = mapOf(
            "ROUTING_ID" to listOf("IDENTITY"),
            "CONNECT_ROUTING_ID" to listOf("CONNECT_RID"),
        )

        /** Starts a JeroMQ peer (its own context and thread). */
        @JvmStatic
        fun start(): JeroMqPeer = JeroMqPeer()
    }
}
