package io.zerokt.uring

import io.netty.buffer.ByteBuf
import io.netty.buffer.PooledByteBufAllocator
import io.netty.channel.Channel
import io.netty.channel.IoEvent
import io.netty.channel.IoEventLoop
import io.netty.channel.IoRegistration
import io.netty.channel.unix.Errors
import io.netty.channel.uring.IoUringChannelOption
import io.netty.channel.uring.IoUringIoEvent
import io.netty.channel.uring.IoUringIoHandle
import io.netty.channel.uring.IoUringIoOps
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger

/**
 * Sends one connection's bytes with io_uring `SEND` operations submitted to its event loop's ring directly, not
 * through the channel's write path (pipeline, outbound buffer, promise and writev set-up per write).
 *
 * One `SEND` is in flight at a time, so bytes reach the socket in order (two in flight could be reordered by a short
 * send or an `EAGAIN` retry); what is written meanwhile is appended to queued pooled buffers of up to [CHUNK_BYTES]
 * each, sent one after another. A short send resubmits the rest; `EAGAIN` waits for `POLLOUT` first. With [cork], the
 * socket is corked once bytes queue behind a send in flight, and uncorked when everything is sent (`TCP_CORK`).
 *
 * [busyCount] counts 1 while anything is unsent (a direct write waits for 0). Everything runs on the channel's event
 * loop, which is also where the channel closes: a send is submitted only while the channel is open, so the descriptor
 * number it names cannot have been reused by another file.
 *
 * Against writing through the channel (`-Dzerokt.uring.channelWrites=true`), pinned pairs of processes, both ends on
 * io_uring, 150,000 messages after 150,000, 3 alternating rounds: 64 KiB 47.6k-49.6k against 37.6k-44.5k msg/s; 1 KiB
 * and 64 B even within this machine's noise.
 */
internal class UringSender private constructor(
    private val channel: Channel,
    private val fd: Int,
    private val cork: Boolean,
    private val busyCount: AtomicInteger,
    private val listener: Listener,
) : IoUringIoHandle {

    /** What the stream hears from its sender, on the event loop. */
    interface Listener {
        /** Unsent bytes fell to [LOW_BYTES] or fewer (or the sender stopped): a waiting writer may go on. */
        fun drained()

        /** The first send to fail, with why; the sender has stopped. */
        fun failed(cause: IOException)
    }

    private var registration: IoRegistration? = null

    /** The buffer being sent, or null; [busyCount] counts 1 while it is not null. */
    private var inFlight: ByteBuf? = null
        set(value) {
            if (field == null && value != null) busyCount.incrementAndGet()
            if (field != null && value == null) busyCount.decrementAndGet()
            field = value
        }

    /** The in-flight operation's id, for cancelling it. */
    private var inFlightId = 0L

    /** Buffers waiting for the one in flight, oldest first. */
    private val queue = ArrayDeque<ByteBuf>()

    /** Bytes accepted by [send] and not yet taken by the kernel. */
    var unsent = 0L
        private set

    private var corked = false
    private var stopped = false

    /** Runs once everything is sent or the sender stops, for a close that waits for the last bytes. */
    private var onIdle: (() -> Unit)? = null

    /**
     * Copies [length] bytes of [source] to be sent after everything sent before. Throws [IOException] once the
     * sender has stopped.
     */
    fun send(source: ByteArray, offset: Int, length: Int) {
        if (stopped) throw IOException("the connection was closed")
        if (length == 0) return
        unsent += length
        val current = inFlight
        if (current == null) {
            val buf = PooledByteBufAllocator.DEFAULT.directBuffer(length)
            buf.writeBytes(source, offset, length)
            inFlight = buf
            submitSend(buf)
            return
        }
        if (cork && !corked && channel.isOpen) {
            corked = true
            setCork(true)
        }
        var off = offset
        var left = length
        val last = queue.lastOrNull()
        if (last != null && last.isWritable) {
            val n = minOf(left, last.writableBytes())
            last.writeBytes(source, off, n)
            off += n
            left -= n
        }
        if (left > 0) {
            val buf = PooledByteBufAllocator.DEFAULT.directBuffer(maxOf(left, CHUNK_BYTES), maxOf(left, CHUNK_BYTES))
            buf.writeBytes(source, off, left)
            queue.addLast(buf)
        }
    }

    /** Runs [action] once nothing is left to send (at once if nothing is), or when the sender stops. */
    fun whenIdle(action: () -> Unit) {
        if (inFlight == null || stopped) {
            action()
            return
        }
        val before = onIdle
        onIdle = if (before == null) action else { { before(); action() } }
    }

    /**
     * Stops sending: cancels the send in flight and drops what is queued (a close that gave up waiting, or a
     * connection that ended). Idempotent.
     */
    fun stop() {
        if (stopped) return
        stopped = true
        releaseQueued()
        val reg = registration
        if (inFlight != null && reg != null && reg.isValid) {
            RingOps.cancel(reg, inFlightId)
        } else {
            finish()
        }
    }

    private fun submitSend(buf: ByteBuf) {
        val reg = registration
        if (stopped || reg == null || !reg.isValid || !channel.isOpen) {
            fail(IOException("the connection was closed"))
            return
        }
        val address = buf.memoryAddress() + buf.readerIndex()
        inFlightId = reg.submit(
            IoUringIoOps(RingOps.OP_SEND, 0, 0, fd, 0L, address, buf.readableBytes(), RingOps.MSG_NOSIGNAL, DATA_SEND, 0, 0, 0, 0L),
        )
    }

    private fun submitPollOut() {
        val reg = registration ?: return
        inFlightId = reg.submit(IoUringIoOps(RingOps.OP_POLL_ADD, 0, 0, fd, 0L, 0L, 0, RingOps.POLLOUT, DATA_POLL, 0, 0, 0, 0L))
    }

    override fun handle(registration: IoRegistration, ioEvent: IoEvent) {
        val event = ioEvent as IoUringIoEvent
        val res = event.res()
        when (event.data()) {
            DATA_SEND -> sent(res)
            DATA_POLL -> if (stopped) finish() else if (res < 0 && res != Errors.ERRNO_EAGAIN_NEGATIVE) sendFailed(res) else inFlight?.let { submitSend(it) }
        }
    }

    private fun sent(res: Int) {
        val buf = inFlight ?: return
        if (stopped) {
            finish()
            return
        }
        when {
            res >= 0 -> {
                buf.skipBytes(res)
                unsent -= res
                if (buf.isReadable) {
                    submitSend(buf) // a short send: the rest (a stream socket's send takes at least one byte)
                    return
                }
                buf.release()
                val next = queue.removeFirstOrNull()
                inFlight = next
                if (next != null) {
                    submitSend(next)
                } else {
                    if (corked) {
                        corked = false
                        setCork(false)
                    }
                    onIdle?.let { onIdle = null; it() }
                }
                if (unsent <= LOW_BYTES) listener.drained()
            }
            res == Errors.ERRNO_EAGAIN_NEGATIVE -> submitPollOut()
            res == -RingOps.EINTR -> submitSend(buf)
            else -> sendFailed(res)
        }
    }

    private fun sendFailed(res: Int) {
        fail(if (res == -RingOps.ECANCELED) IOException("the connection was closed") else Errors.newIOException("send", res))
    }

    private fun fail(cause: IOException) {
        val first = !stopped
        stopped = true
        releaseQueued()
        finish()
        if (first) listener.failed(cause)
    }

    /** Releases the buffer in flight (its operation has completed or never was) and lets the registration go. */
    private fun finish() {
        inFlight?.release()
        inFlight = null
        unsent = 0
        registration?.cancel()
        onIdle?.let { onIdle = null; it() }
        listener.drained()
    }

    private fun releaseQueued() {
        while (true) (queue.removeFirstOrNull() ?: break).release()
    }

    private fun setCork(on: Boolean) {
        if (channel.isOpen) runCatching { channel.config().setOption(IoUringChannelOption.TCP_CORK, on) }
    }

    /** The event loop is closing: nothing more completes, so give the buffers back. */
    override fun close() {
        stopped = true
        releaseQueued()
        inFlight?.release()
        inFlight = null
    }

    internal companion object {
        /** The size of each queued buffer that later writes are appended to. */
        const val CHUNK_BYTES = 64 shl 10

        /** Unsent bytes above which a writer waits for room (the channel's write high-water mark). */
        const val HIGH_BYTES = 1L shl 20

        /** Unsent bytes at or below which a writer waiting for room goes on. */
        const val LOW_BYTES = 256L shl 10

        private const val DATA_SEND: Short = 1
        private const val DATA_POLL: Short = 2

        /**
         * A sender for [channel], registered with its event loop; call it on that loop. Null where that cannot be done
         * (not an io_uring channel with a descriptor, or the registration did not complete at once): the stream then
         * writes through the channel.
         */
        fun open(channel: Channel, cork: Boolean, busyCount: AtomicInteger, listener: Listener): UringSender? {
            val fd = RingOps.descriptorOnLoop(channel) ?: return null
            val sender = UringSender(channel, fd, cork, busyCount, listener)
            sender.registration = RingOps.register(channel.eventLoop() as IoEventLoop, sender) ?: return null
            return sender
        }
    }
}
