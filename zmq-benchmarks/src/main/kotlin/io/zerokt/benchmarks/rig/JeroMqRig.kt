package io.zerokt.benchmarks.rig

import org.zeromq.SocketType
import org.zeromq.ZContext
import org.zeromq.ZMQ
import kotlin.concurrent.thread

/**
 * The JeroMQ 0.6.0 side of a rig: one context with one I/O thread, background parties on their own threads (JeroMQ
 * sockets block and are not thread-safe: each socket is used by one thread only), and sockets whose waits end after
 * [RIG_TIMEOUT_MILLIS] (the background loops use [POLL_MILLIS] so that they notice [close]).
 */
internal abstract class JeroMqRig : Rig {
    protected val context: ZContext = ZContext(1)

    @Volatile
    protected var running: Boolean = true
    private val threads = ArrayList<Thread>()

    /** A socket with LINGER 0 and both timeouts set. */
    protected fun socket(type: SocketType, timeoutMillis: Int = RIG_TIMEOUT_MILLIS): ZMQ.Socket =
        context.createSocket(type).apply {
            setLinger(0)
            setSendTimeOut(timeoutMillis)
            setReceiveTimeOut(timeoutMillis)
        }

    /** Binds [server] to a fresh [transport] endpoint and connects every one of [clients] to it. */
    protected fun join(server: ZMQ.Socket, transport: Transport, clients: List<ZMQ.Socket>) {
        server.bind(transport.bindEndpoint())
        val resolved = server.lastEndpoint
        for (client in clients) client.connect(resolved)
    }

    /** Runs [body] on a daemon thread until [close]. */
    protected fun background(name: String, body: () -> Unit) {
        threads += thread(isDaemon = true, name = name) {
            try {
                body()
            } catch (_: org.zeromq.ZMQException) {
                // The context closed under a blocked call: the rig is closing.
            }
        }
    }

    override fun close() {
        running = false
        for (t in threads) t.join(RIG_TIMEOUT_MILLIS.toLong())
        context.close()
    }

    protected companion object {
        const val POLL_MILLIS = 100
    }
}
