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
import io.netty.util.collection.IntObjectHashMap
import org.slf4j.LoggerFactory
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
 * With a [zeroCopyThreshold] (0 or more), a send of at least that many bytes is a `SEND_ZC`: the kernel sends from
 * the buffer's own pages, and its first completion (how many bytes it took) lets the next send go while the buffer is
 * kept until the send's notification (`IORING_CQE_F_NOTIF`) says the kernel is done with it. Where the kernel or
 * socket has no zero-copy send (`EINVAL`, `EOPNOTSUPP`: any Unix socket) the sender sends plainly from then on.
 *
 * [busyCount] counts 1 while anything is unsent (a direct write waits for 0). Everything runs on the channel's event
 * loop, which is also where the channel closes: a send is submitted only while the channel is open, so the descriptor
 * number it names cannot have been reused by another file. The registration goes once nothing is in flight and no
 * notification is awaited.
 *
 * Against writing through the channel (`-Dzerokt.uring.channelWrites=true`), pinned pairs of processes, both ends on
 * io_uring, 150,000 messages after 150,000, 3 alternating rounds: 64 KiB 47.6k-49.6k against 37.6k-44.5k msg/s; 1 KiB
 * and 64 B even within this machine's noise.
 */
internal class UringSender private constructor(
    private val channel: Channel,
    private val fd: Int,
    private val cork: Boolean,
    /** Sends of at least this many bytes are zero-copy (`SEND_ZC`); -1: none. */
    private val zeroCopyThreshold: Int,
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

    /** False once the kernel refused a zero-copy send: plain sends from then on. Read from any thread. */
    @Volatile private var zeroCopy = zeroCopyThreshold >= 0

    /** True while sends from the threshold are zero-copy (false: none asked, or the kernel refused them). */
    val zeroCopyOn: Boolean get() = zeroCopy

    /** Buffers of zero-copy sends whose notification has not come, by the send's `data` id (each retained once). */
    private val notifying = IntObjectHashMap<ByteBuf>()
    private var lastZeroCopyId = 0

    /** Zero-copy sends submitted; on the loop (for tests). */
    var zeroCopySends = 0
        private set

    /** Zero-copy sends whose notification has not come yet; on the loop (for tests). */
    val awaitingNotification: Int get() = notifying.size

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
        val length = buf.readableBytes()
        if (zeroCopy && length >= zeroCopyThreshold) {
            val id = nextZeroCopyId()
            notifying.put(id, buf.retain()) // the kernel reads these pages until the notification
            zeroCopySends++
            inFlightId = reg.submit(
                IoUringIoOps(RingOps.OP_SEND_ZC, 0, 0, fd, 0L, address, length, RingOps.MSG_NOSIGNAL, id.toShort(), 0, 0, 0, 0L),
            )
            return
        }
        inFlightId = reg.submit(
            IoUringIoOps(RingOps.OP_SEND, 0, 0, fd, 0L, address, length, RingOps.MSG_NOSIGNAL, DATA_SEND, 0, 0, 0, 0L),
        )
    }

    /** An id for a zero-copy send's `data`, not held by a send still awaiting its notification. */
    private fun nextZeroCopyId(): Int {
        var id = lastZeroCopyId
        do {
            id = if (id >= MAX_ZERO_COPY_ID) 1 else id + 1
        } while (notifying.containsKey(id))
        lastZeroCopyId = id
        return id
    }

    private fun submitPollOut() {
        val reg = registration ?: return
        inFlightId = reg.submit(IoUringIoOps(RingOps.OP_POLL_ADD, 0, 0, fd, 0L, 0L, 0, RingOps.POLLOUT, DATA_POLL, 0, 0, 0, 0L))
    }

    override fun handle(registration: IoRegistration, ioEvent: IoEvent) {
        val event = ioEvent as IoUringIoEvent
        val res = event.res()
        if (event.opcode() == RingOps.OP_SEND_ZC) {
            zeroCopyCompleted(event.data().toInt(), res, event.flags())
            return
        }
        when (event.data()) {
            DATA_SEND -> sent(res)
            DATA_POLL -> if (stopped) finish() else if (res < 0 && res != Errors.ERRNO_EAGAIN_NEGATIVE) sendFailed(res) else inFlight?.let { submitSend(it) }
        }
    }

    /** A zero-copy send's completion: how many bytes it took, or (flagged) its notification. */
    private fun zeroCopyCompleted(id: Int, res: Int, flags: Int) {
        if (flags and RingOps.CQE_F_NOTIF != 0) {
            notified(id)
            return
        }
        // Without F_MORE no notification follows (the send failed before taking any page).
        if (flags and RingOps.CQE_F_MORE == 0) notified(id)
        if ((res == -RingOps.EINVAL || res == -RingOps.EOPNOTSUPP) && zeroCopy && !stopped) {
            zeroCopy = false
            log.debug("zero-copy send refused by the kernel (errno {}): this connection sends plainly", -res)
            inFlight?.let { submitSend(it) }
            return
        }
        sent(res)
    }

    /** The kernel is done with zero-copy send [id]'s memory: give the buffer back. */
    private fun notified(id: Int) {
        notifying.remove(id)?.release()
        if (stopped && inFlight == null && notifying.isEmpty()) registration?.cancel()
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

    /**
     * Releases the buffer in flight (its operation has completed or never was) and lets the registration go, at once
     * unless zero-copy sends still await their notifications ([notified] does it then).
     */
    private fun finish() {
        inFlight?.release()
        inFlight = null
        unsent = 0
        if (notifying.isEmpty()) registration?.cancel()
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
        for (buf in notifying.values) buf.release()
        notifying.clear()
    }

    internal companion object {
        /** The size of each queued buffer that later writes are appended to. */
        const val CHUNK_BYTES = 64 shl 10

        /** Unsent bytes above which a writer waits for room (the channel's write high-water mark). */
        const val HIGH_BYTES = 1L shl 20

        /** Unsent bytes at or below which a writer waiting for room goes on. */
        const val LOW_BYTES = 256L shl 10

        private val log = LoggerFactory.getLogger(UringSender::class.java)

        private const val DATA_SEND: Short = 1
        private const val DATA_POLL: Short = 2

        /** Zero-copy sends take `data` ids 1 to this (below [RingOps.DATA_CANCEL]); told apart by their opcode. */
        private const val MAX_ZERO_COPY_ID = 0x7FF0

        /**
         * A sender for [channel], registered with its event loop; call it on that loop. Null where that cannot be done
         * (not an io_uring channel with a descriptor, or the registration did not complete at once): the stream then
         * writes through the channel.
         */
        fun open(channel: Channel, cork: Boolean, zeroCopyThreshold: Int, busyCount: AtomicInteger, listener: Listener): UringSender? {
            val fd = RingOps.descriptorOnLoop(channel) ?: return null
            val sender = UringSender(channel, fd, cork, zeroCopyThreshold, busyCount, listener)
            sender.registration = RingOps.register(channel.eventLoop() as IoEventLoop, sender) ?: return null
            return sender
        }
    }
}
