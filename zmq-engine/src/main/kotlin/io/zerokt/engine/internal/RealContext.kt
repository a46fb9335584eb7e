package io.zerokt.engine.internal

import io.zerokt.Context
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.connection.Binder
import io.zerokt.engine.internal.connection.Endpoint
import io.zerokt.engine.internal.connection.InprocBinder
import io.zerokt.engine.internal.connection.StreamBinder
import io.zerokt.engine.internal.socket.RealSocket
import io.zerokt.engine.internal.transport.KtorTransport
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
    private val streams = StreamBinder { transport() }

    @Volatile override var isClosed: Boolean = false
        private set

    override fun socket(type: SocketType): Socket {
        if (isClosed) throw ZmqException(ZmqError.ETERM, "the context was closed")
        val socket = RealSocket(this, type)
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
            return transport ?: KtorTransport().also { transport = it }
        }
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
        synchronized(transportLock) { transport?.close() }
    }

    override fun toString(): String = "Context(ioThreads=$ioThreads, sockets=${sockets.size})"
}
