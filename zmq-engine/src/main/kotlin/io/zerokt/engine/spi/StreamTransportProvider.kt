package io.zerokt.engine.spi

/**
 * A second stream engine, found with `ServiceLoader` (`META-INF/services/io.zerokt.engine.spi.StreamTransportProvider`)
 * and used for the sockets that ask for it (today: `zmq-uring`'s io_uring engine, asked for with `ZKT_IO_URING`).
 *
 * The engine asks [unavailabilityReason] once per context, before [create]; a provider that cannot run here says
 * why, and the sockets then use the default engine.
 */
@ZeroKtInternalApi
public interface StreamTransportProvider {
    /** The engine's name in logs and monitor events (`"io_uring"`). */
    public val name: String

    /** Null when this engine can run in this process, else a one-line reason (kernel too old, native library missing). */
    public fun unavailabilityReason(): String?

    /**
     * Makes the engine's transport for one context. [ioThreads] is the context's thread count; [settings] holds the
     * context's `ZKT_CTX_*` options that were set (id to value). Throws when the engine fails to start; the
     * caller then falls back.
     */
    public fun create(ioThreads: Int, settings: Map<Int, Int>): StreamTransport
}
