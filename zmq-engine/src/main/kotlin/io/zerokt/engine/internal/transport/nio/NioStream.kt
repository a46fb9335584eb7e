package io.zerokt.engine.internal.transport.nio

import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import jdk.net.ExtendedSocketOptions
import kotlinx.coroutines.CoroutineDispatcher
import java.net.InetSocketAddress
import java.net.SocketOption
import java.net.StandardSocketOptions
import java.nio.ByteBuffer
import java.nio.channels.SelectionKey
import java.nio.channels.SocketChannel

/**
 * A connection as a [ByteStream]: non-blocking reads and writes straight on the NIO channel, on its [IoLoop]'s
 * thread, waiting on the loop's selector only when the kernel has nothing to read or no room to write.
 */
@OptIn(ZeroKtInternalApi::class)
internal class NioStream(
    private val channel: SocketChannel,
    private val registration: IoLoop.Registration,
    override val remoteAddress: String,
) : ByteStream {
    private val loop = registration.loop
    private var readWrapper: ByteBuffer = EMPTY
    private var writeWrapper: ByteBuffer = EMPTY
    private var writeNowWrapper: ByteBuffer = EMPTY

    /** The TCP socket's channel, for the options only TCP has (null for ipc). */
    private val tcpChannel: SocketChannel? = channel.takeIf { it.localAddress is InetSocketAddress }

    /** The connection's reader and writer run on the loop that waits for this channel. */
    override val dispatcher: CoroutineDispatcher get() = loop

    override suspend fun read(destination: ByteArray, offset: Int, length: Int): Int {
        while (true) {
            val n = readNow(destination, offset, length)
            if (n != 0) return n
            registration.await(SelectionKey.OP_READ)
        }
    }

    override fun readNow(destination: ByteArray, offset: Int, length: Int): Int =
        channel.read(wrap(readWrapper, destination, offset, length).also { readWrapper = it })

    override suspend fun write(source: ByteArray, offset: Int, length: Int) {
        val buffer = wrap(writeWrapper, source, offset, length).also { writeWrapper = it }
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) registration.await(SelectionKey.OP_WRITE)
        }
    }

    override fun writeNow(source: ByteArray, offset: Int, length: Int): Int =
        channel.write(wrap(writeNowWrapper, source, offset, length).also { writeNowWrapper = it })

    override fun close() {
        if (!channel.isOpen) return
        runCatching { channel.close() }
        // A wait in progress wakes and meets the closed channel; the selector lets go of the descriptor at once.
        registration.fireAll()
        loop.wakeup()
    }

    /** The value of the kernel socket option [option], as set (for tests and diagnostics). */
    fun <T> option(option: SocketOption<T>): T? = tcpChannel?.getOption(option)

    /**
     * Applies the socket options to a connected or accepted TCP socket: TCP_NODELAY, SO_SNDBUF/SO_RCVBUF, IP_TOS
     * and the keepalive family (as libzmq, idle/count/interval only when TCP_KEEPALIVE is 1; a kernel that lacks
     * one keeps its default).
     */
    fun tune(options: TransportOptions) {
        val channel = tcpChannel ?: return
        runCatching { channel.setOption(StandardSocketOptions.TCP_NODELAY, true) }
        if (options.sendBuffer > 0) runCatching { channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBuffer) }
        if (options.receiveBuffer > 0) runCatching { channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBuffer) }
        if (options.typeOfService > 0) runCatching { channel.setOption(StandardSocketOptions.IP_TOS, options.typeOfService) }
        if (options.keepAlive == -1) return
        runCatching { channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepAlive == 1) }
        if (options.keepAlive != 1) return
        val supported = channel.supportedOptions()
        fun set(option: SocketOption<Int>, value: Int) {
            if (value > 0 && option in supported) runCatching { channel.setOption(option, value) }
        }
        set(ExtendedSocketOptions.TCP_KEEPIDLE, options.keepAliveIdle)
        set(ExtendedSocketOptions.TCP_KEEPINTERVAL, options.keepAliveInterval)
        set(ExtendedSocketOptions.TCP_KEEPCOUNT, options.keepAliveCount)
    }

    private companion object {
        val EMPTY: ByteBuffer = ByteBuffer.allocate(0)

        /** [cached] re-aimed at [array] (no allocation when the caller keeps passing the same array), or a new wrapper. */
        fun wrap(cached: ByteBuffer, array: ByteArray, offset: Int, length: Int): ByteBuffer {
            if (cached.array() !== array) return ByteBuffer.wrap(array, offset, length)
            cached.limit(offset + length).position(offset)
            return cached
        }
    }
}
