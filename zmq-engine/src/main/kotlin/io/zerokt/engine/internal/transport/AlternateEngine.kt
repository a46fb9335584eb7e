package io.zerokt.engine.internal.transport

import io.zerokt.ZKT_CTX_IO_URING_BUFFER_RING_SIZE
import io.zerokt.ZKT_CTX_IO_URING_BUFFER_SIZE
import io.zerokt.ZKT_CTX_IO_URING_DEFER_TASKRUN
import io.zerokt.ZKT_CTX_IO_URING_RING_SIZE
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.StreamTransportProvider
import io.zerokt.engine.spi.ZeroKtInternalApi
import org.slf4j.LoggerFactory
import java.util.ServiceLoader

/**
 * A context's io_uring engine: the [StreamTransportProvider] found with `ServiceLoader`, its context-wide settings,
 * and the transport it makes on first use (or the reason it cannot, which sockets then report as a fallback).
 */
@OptIn(ZeroKtInternalApi::class)
internal class AlternateEngine(private val ioThreads: Int) {
    private val settings = HashMap<Int, Int>()
    private var transport: StreamTransport? = null
    private var unavailable: String? = null

    /** The transport once it [failed][StreamTransport.failure]: no longer handed out, closed with the context. */
    private var failed: StreamTransport? = null

    /** Sets a `ZKT_CTX_IO_URING_*` option; false when [option] is not one. `EINVAL` once the engine started. */
    @Synchronized
    fun setOption(option: Int, value: Int): Boolean {
        val valid = when (option) {
            ZKT_CTX_IO_URING_RING_SIZE -> value in 1..32768
            ZKT_CTX_IO_URING_BUFFER_RING_SIZE -> value in 1..32768 && value and (value - 1) == 0
            ZKT_CTX_IO_URING_BUFFER_SIZE -> value in 1024..(16 shl 20)
            ZKT_CTX_IO_URING_DEFER_TASKRUN -> value == 0 || value == 1
            else -> return false
        }
        if (!valid) throw ZmqException(ZmqError.EINVAL, "context option $option: bad value $value")
        if (transport != null || failed != null) throw ZmqException(ZmqError.EINVAL, "context option $option: set it before the first io_uring connection")
        settings[option] = value
        return true
    }

    /** Reads a `ZKT_CTX_IO_URING_*` option (0 = the engine's default), or null when [option] is not one. */
    @Synchronized
    fun getOption(option: Int): Int? = when (option) {
        ZKT_CTX_IO_URING_RING_SIZE, ZKT_CTX_IO_URING_BUFFER_RING_SIZE, ZKT_CTX_IO_URING_BUFFER_SIZE -> settings[option] ?: 0
        ZKT_CTX_IO_URING_DEFER_TASKRUN -> settings[option] ?: 1
        else -> null
    }

    /**
     * The io_uring transport, or the reason there is none. Starts it on first call. Once the transport failed, the
     * reason is that failure: the context's later binds and connects fall back to the default engine.
     */
    @Synchronized
    fun transportOrReason(): Result {
        transport?.let { current ->
            val failure = current.failure ?: return Result(current, null)
            transport = null
            failed = current
            unavailable = "the io_uring engine failed: $failure"
            log.warn("{}; sockets that asked for io_uring bind and connect through the default engine from now on", unavailable)
            return Result(null, unavailable)
        }
        unavailable?.let { return Result(null, it) }
        val provider = try {
            ServiceLoader.load(StreamTransportProvider::class.java, AlternateEngine::class.java.classLoader).firstOrNull()
        } catch (e: Throwable) {
            unavailable = "the io_uring engine could not be loaded: $e"
            return Result(null, unavailable)
        }
        if (provider == null) {
            unavailable = "no io_uring engine on the classpath (add the io.zerokt:zmq-uring jar)"
            return Result(null, unavailable)
        }
        val why = try {
            provider.unavailabilityReason()
        } catch (e: Throwable) {
            "the ${provider.name} engine failed its availability check: $e"
        }
        if (why != null) {
            unavailable = why
            return Result(null, why)
        }
        return try {
            Result(provider.create(ioThreads, HashMap(settings)).also { transport = it }, null)
        } catch (e: Throwable) {
            unavailable = "the ${provider.name} engine failed to start: $e"
            Result(null, unavailable)
        }
    }

    /** Closes the transport, if one was made (whether or not it failed since). */
    @Synchronized
    fun close() {
        transport?.close()
        failed?.close()
    }

    /** Either a transport or the reason for falling back. */
    class Result(val transport: StreamTransport?, val reason: String?)

    private companion object {
        private val log = LoggerFactory.getLogger(AlternateEngine::class.java)
    }
}
