package io.zerokt.spi

import io.zerokt.Context

/**
 * The service an engine implements so that [io.zerokt.ZeroKt.context] can find it with `ServiceLoader`.
 *
 * Not for applications: `zmq-engine` provides the one implementation. Register it in
 * `META-INF/services/io.zerokt.spi.ContextProvider`.
 */
public interface ContextProvider {
    /** When several providers are present, the highest priority wins. */
    public val priority: Int get() = 0

    /** Creates a context with [ioThreads] I/O threads. */
    public fun createContext(ioThreads: Int): Context
}
