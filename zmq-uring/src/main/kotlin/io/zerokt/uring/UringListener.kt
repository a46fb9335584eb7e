package io.zerokt.uring

import io.netty.channel.Channel
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.StreamListener
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.channels.Channel as Queue
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path

/**
 * A listening io_uring channel: the event loop [offer]s each accepted connection, [accept] takes them in order.
 * Closing it closes the server channel, every connection not yet taken, and (ipc) removes the socket file; then it
 * calls [onClose].
 */
@OptIn(ZeroKtInternalApi::class)
internal class UringListener(private val onClose: (UringListener) -> Unit = {}) : StreamListener {
    private val accepted = Queue<UringStream>(Queue.UNLIMITED, onUndeliveredElement = { it.close() })
    @Volatile private var server: Channel? = null
    @Volatile var ipcPath: String? = null
    override var endpoint: String = ""
        private set

    /** Records the bound [channel] and its [endpoint]; returns this. */
    fun start(channel: Channel, endpoint: String, ipcPath: String?): UringListener {
        server = channel
        this.endpoint = endpoint
        this.ipcPath = ipcPath
        return this
    }

    /** Called on the event loop for each accepted connection. */
    fun offer(stream: UringStream) {
        if (!accepted.trySend(stream).isSuccess) stream.close()
    }

    /**
     * Stops accepting because of [cause] (the transport failed): connections already accepted are still taken, then
     * [accept] throws with [cause]. [close] still releases the rest.
     */
    fun fail(cause: IOException) {
        accepted.close(cause)
    }

    override suspend fun accept(): ByteStream {
        val next = accepted.receiveCatching()
        next.getOrNull()?.let { return it }
        val cause = next.exceptionOrNull() ?: throw IOException("the listener on $endpoint was closed")
        throw IOException("the listener on $endpoint stopped: ${cause.message}", cause)
    }

    private val closed = java.util.concurrent.atomic.AtomicBoolean()

    override fun close() {
        // Once only: a second close must not delete an ipc file that a new bind made since.
        if (!closed.compareAndSet(false, true)) return
        accepted.close()
        server?.let { channel ->
            // Wait (briefly) until the kernel socket is really closed, so that an unbind followed by a bind of the
            // same address works, as it does on the default engine. Never from the event loop itself.
            val closing = channel.close()
            if (!channel.eventLoop().inEventLoop()) closing.awaitUninterruptibly(CLOSE_WAIT_MS)
        }
        while (true) accepted.tryReceive().getOrNull()?.close() ?: break
        ipcPath?.takeIf { !it.startsWith("@") }?.let { runCatching { Files.deleteIfExists(Path.of(it)) } }
        onClose(this)
    }

    private companion object {
        const val CLOSE_WAIT_MS = 2_000L
    }
}
