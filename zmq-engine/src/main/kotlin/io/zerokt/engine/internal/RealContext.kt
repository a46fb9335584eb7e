package io.zerokt.engine.internal

import io.zerokt.Context
import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import io.zerokt.ZKT_CTX_IO_URING
import io.zerokt.ZKT_CTX_IO_URING_MULTISHOT
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.connection.Binder
import io.zerokt.engine.internal.connection.Endpoint
import io.zerokt.engine.internal.connection.InprocBinder
import io.zerokt.engine.internal.connection.StreamBinder
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.transport.AlternateEngine
import io.zerokt.engine.internal.transport.nio.NioTransport
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.runBlocking
import java.util.concurrent.ConcurrentHashMap

/**
 * The engine's context: one [CoroutineScope] (a [SupervisorJob] on a dispatcher limited to [ioThreads] threads of
 * the shared default pool), the `inproc://` namespace, and the stream transport, made on first use.
 */
@OptIn(ZeroKtInternalApi::class)
internal class RealContext(override val ioThreads: Int) : Context {
    val job = SupervisorJob()
    val dispatcher = Dispatchers.Default.limitedParallelism(ioThreads)
    val scope = CoroutineScope(job + dispatcher + CoroutineName("zkt-context"))
    private val sockets: MutableSet<RealSocket> = ConcurrentHashMap.newKeySet()
    private val inproc = InprocBinder()
    private val transportLock = Any()
    @Volatile private var transport: StreamTransport? = null
    private val streams = StreamBinder { socket -> transportFor(socket) }
    private val alternate = AlternateEngine(ioThreads)
    @Volatile private var ioUringDefault = false
    @Volatile private var multishotDefault = false

    @Volatile override var isClosed: Boolean = false
        private set

    override fun socket(type: SocketType): Socket {
        if (isClosed) throw ZmqException(ZmqError.ETERM, "the context was closed")
        val socket = RealSocket(this, type)
        socket.options.ioUring = ioUringDefault
        socket.options.ioUringMultishot = multishotDefault
        sockets.add(socket)
        if (isClosed) {
            socket.close()
            throw ZmqException(ZmqError.ETERM, "the context was closed")
        }
        return socket
    }

    /** True when a socket is bound to `inproc://`[name]. */
    fun isInprocBound(name: String): Boolean = inproc.isBound(name)

    /** The binder for [endpoint]'s transport. */
    fun binder(endpoint: Endpoint): Binder = if (endpoint.scheme == "inproc") inproc else streams

    private fun transport(): StreamTransport {
        transport?.let { return it }
        synchronized(transportLock) {
            if (isClosed) throw ZmqException(ZmqError.ETERM, "the context was closed")
            return transport ?: NioTransport(ioThreads).also { transport = it }
        }
    }

    /**
     * The stream transport for [socket]'s next bind or connect: the io_uring engine when the socket asks for it and
     * it can run, else the default one (the first fallback is logged and reported on the socket's monitor).
     */
    private fun transportFor(socket: RealSocket): StreamTransport {
        if (!socket.options.ioUring) return transport()
        val chosen = synchronized(transportLock) {
            if (isClosed) throw ZmqException(ZmqError.ETERM, "the context was closed")
            alternate.transportOrReason()
        }
        chosen.transport?.let { return it }
        if (socket.markEngineFallbackReported()) {
            RealSocket.log.warn("{}: io_uring engine not used, falling back to the default engine: {}", socket, chosen.reason)
            socket.emit(MonitorEvent(MonitorEventType.ENGINE_FALLBACK, "", reason = chosen.reason))
        }
        return transport()
    }

    override fun setOption(option: Int, value: Int) {
        if (option == ZKT_CTX_IO_URING || option == ZKT_CTX_IO_URING_MULTISHOT) {
            if (value != 0 && value != 1) throw ZmqException(ZmqError.EINVAL, "context option $option: expected 0 or 1, was $value")
            if (option == ZKT_CTX_IO_URING) ioUringDefault = value == 1 else multishotDefault = value == 1
            return
        }
        synchronized(transportLock) {
            if (!alternate.setOption(option, value)) throw ZmqException(ZmqError.EINVAL, "unknown context option $option")
        }
    }

    override fun getOption(option: Int): Int {
        if (option == ZKT_CTX_IO_URING) return if (ioUringDefault) 1 else 0
        if (option == ZKT_CTX_IO_URING_MULTISHOT) return if (multishotDefault) 1 else 0
        return synchronized(transportLock) { alternate.getOption(option) } ?: throw ZmqException(ZmqError.EINVAL, "unknown context option $option")
    }

    fun socketClosing(socket: RealSocket) = Unit

    fun socketClosed(socket: RealSocket) {
        sockets.remove(socket)
    }

    override fun close() {
        synchronized(transportLock) {
            if (isClosed) return
            isClosed = true
        }
        val all = ArrayList(sockets) // not toList(): it reads size() then iterates, which races with socketClosed
        all.forEach { it.close() }
        runBlocking {
            for (s in all) s.lingerJob?.join()
            job.cancelAndJoin()
        }
        synchronized(transportLock) {
            transport?.close()
            alternate.close()
        }
    }

    override fun toString(): String = "Context(ioThreads=$ioThreads, sockets=${sockets.size})"
}
