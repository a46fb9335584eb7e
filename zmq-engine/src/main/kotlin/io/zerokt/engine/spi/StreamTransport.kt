package io.zerokt.engine.spi

import kotlinx.coroutines.CoroutineDispatcher

/**
 * A byte-stream transport (`tcp://`, `ipc://`): the I/O seam between the engine and an I/O library.
 *
 * The engine's connection driver runs the sans-I/O ZMTP codec over the [ByteStream]s a transport makes, so a
 * new I/O backend (NIO selector threads by default, io_uring in `zmq-uring`) only implements this interface.
 * Implementations must make every suspending call cancellable and [ByteStream.close]/[StreamListener.close]
 * idempotent.
 */
@ZeroKtInternalApi
public interface StreamTransport {
    /** The endpoint schemes this transport serves (`"tcp"`, `"ipc"`). */
    public val schemes: Set<String>

    /** Starts listening on [address] (the part after `scheme://`). Throws `java.io.IOException` (bind failures). */
    public suspend fun listen(scheme: String, address: String, options: TransportOptions): StreamListener

    /** Connects to [address]; throws `java.io.IOException` when the connection cannot be made. */
    public suspend fun connect(scheme: String, address: String, options: TransportOptions): ByteStream

    /**
     * Why this transport can no longer serve new binds and connects (one of its I/O threads stopped under it), or
     * null while it can (the default). From then on the engine makes the socket's next connects through the context's
     * default transport, and binds again there each listener of this transport whose [StreamListener.accept] fails.
     */
    public val failure: String? get() = null

    /** Releases what this transport holds (selector threads). */
    public fun close()
}

/** Transport-level socket options, from the ZeroMQ socket's options. Values use libzmq's conventions (-1 = OS default). */
@ZeroKtInternalApi
public class TransportOptions(
    /** `ZMQ_SNDBUF`; 0 or -1 = OS default. */
    public val sendBuffer: Int = 0,
    /** `ZMQ_RCVBUF`; 0 or -1 = OS default. */
    public val receiveBuffer: Int = 0,
    /** `ZMQ_BACKLOG`. */
    public val backlog: Int = 100,
    /** `ZMQ_TOS`. */
    public val typeOfService: Int = 0,
    /** `ZMQ_TCP_KEEPALIVE`: -1 default, 0 off, 1 on. */
    public val keepAlive: Int = -1,
    /** `ZMQ_TCP_KEEPALIVE_CNT`. */
    public val keepAliveCount: Int = -1,
    /** `ZMQ_TCP_KEEPALIVE_IDLE` in seconds. */
    public val keepAliveIdle: Int = -1,
    /** `ZMQ_TCP_KEEPALIVE_INTVL` in seconds. */
    public val keepAliveInterval: Int = -1,
    /** `ZMQ_CONNECT_TIMEOUT` in ms; 0 = OS default. */
    public val connectTimeoutMillis: Int = 0,
    /** `ZMQ_IPV6`. */
    public val ipv6: Boolean = false,
    /** `ZKT_IO_URING_TCP_CORK` (engines that support it). */
    public val tcpCork: Boolean = false,
    /** `ZKT_IO_URING_SEND_ZC_THRESHOLD`: zero-copy send from this many bytes; -1 = never (engines that support it). */
    public val sendZeroCopyThreshold: Int = -1,
    /** `ZKT_IO_URING_MULTISHOT`: multishot receives into provided buffers (engines that support it). */
    public val multishotReceive: Boolean = false,
)

/** A listening endpoint. */
@ZeroKtInternalApi
public interface StreamListener {
    /** The resolved endpoint, as `ZMQ_LAST_ENDPOINT` reports it (`tcp://127.0.0.1:41234`). */
    public val endpoint: String

    /** Waits for the next connection. Throws `java.io.IOException` once closed, or once its transport [failed][StreamTransport.failure]. */
    public suspend fun accept(): ByteStream

    /** Stops listening; for ipc also removes the socket file. Idempotent. */
    public fun close()
}

/** One connection's byte stream. Reads and writes may run concurrently with each other (one reader, one writer). */
@ZeroKtInternalApi
public interface ByteStream {
    /** The peer's address as an endpoint (`tcp://1.2.3.4:5678`, `ipc://path`). */
    public val remoteAddress: String

    /** Reads at least one byte into [destination], suspending until some arrive; returns -1 at end of stream. */
    public suspend fun read(destination: ByteArray, offset: Int, length: Int): Int

    /**
     * Reads what has already arrived, without waiting: the number of bytes read, 0 when none are there yet (or the
     * stream cannot tell without waiting), -1 at end of stream. A connection that read a full buffer asks this before
     * it wakes its socket's readers, so a burst is handed over with one wake-up. The default always says 0.
     */
    public fun readNow(destination: ByteArray, offset: Int, length: Int): Int = 0

    /** Writes all of the given bytes and flushes them to the kernel. */
    public suspend fun write(source: ByteArray, offset: Int, length: Int)

    /**
     * Writes what the kernel takes now, from any thread and without waiting: the number of bytes written (0 when it
     * takes none), or -1 when this stream cannot write outside its [write] (the default; nothing is written). Never
     * called while a [write] is in progress.
     */
    public fun writeNow(source: ByteArray, offset: Int, length: Int): Int = -1

    /** Closes the connection. Idempotent; pending reads and writes fail. */
    public fun close()

    /**
     * The dispatcher the connection's reader, writer and timer should run on: the I/O thread that waits for this
     * stream, so that nothing hops between threads per message. Null (the default) runs them on the socket's.
     */
    public val dispatcher: CoroutineDispatcher? get() = null
}
