package io.zerokt

import io.zerokt.spi.ContextProvider
import java.util.ServiceLoader

/**
 * A ZeroMQ context (libzmq's `zmq_ctx_new`): owns the I/O threads, the `inproc://` namespace and every socket made
 * from it, in one structured-concurrency scope.
 *
 * Make one with [Context] (Kotlin) or [ZeroKt.context] (Java), make sockets with [socket], and [close] it when done.
 *
 * ## Closing
 * [close] closes every socket, waits for each to flush within its LINGER, then stops the I/O threads. It never
 * waits past the longest LINGER of its sockets, and it wakes every suspended call with `ETERM`.
 */
public interface Context : AutoCloseable {
    /** The number of I/O threads (`ZMQ_IO_THREADS`). */
    public val ioThreads: Int

    /** Creates a socket of [type] (`zmq_socket`). Throws `ETERM` after [close]. */
    public fun socket(type: SocketType): Socket

    /** True once [close] has been called. */
    public val isClosed: Boolean

    /**
     * Sets a context option (`zmq_ctx_set`): ZeroKt's `ZKT_CTX_*` ids. The io_uring settings take effect only
     * before the context's first io_uring connection (`EINVAL` after that, and for unknown ids or bad values).
     */
    public fun setOption(option: Int, value: Int): Unit =
        throw ZmqException(ZmqError.EINVAL, "unknown context option $option")

    /** Reads a context option (`zmq_ctx_get`); `EINVAL` for an unknown id. */
    public fun getOption(option: Int): Int =
        throw ZmqException(ZmqError.EINVAL, "unknown context option $option")

    /** Closes the context and every socket in it, waiting up to their LINGER (`zmq_ctx_term`). Idempotent. */
    override fun close()
}

/**
 * Creates a context with [ioThreads] I/O threads, using the engine found on the classpath (the `zmq-engine` jar).
 * Throws [IllegalStateException] when no engine is present.
 */
public fun Context(ioThreads: Int = 1): Context = ZeroKt.context(ioThreads)

/** Static entry points, for Java users: `ZeroKt.context()`. */
public object ZeroKt {
    private val provider: ContextProvider by lazy {
        ServiceLoader.load(ContextProvider::class.java, ContextProvider::class.java.classLoader)
            .maxByOrNull { it.priority }
            ?: throw IllegalStateException("no ZeroKt engine on the classpath: add the io.zerokt:zmq-engine dependency")
    }

    /** Creates a context with [ioThreads] I/O threads (default 1). */
    @JvmStatic
    @JvmOverloads
    public fun context(ioThreads: Int = 1): Context {
        require(ioThreads >= 1) { "ioThreads must be at least 1, was $ioThreads" }
        return provider.createContext(ioThreads)
    }
}
