package io.zerokt.uring

import io.netty.buffer.ByteBuf
import io.netty.buffer.PooledByteBufAllocator
import io.netty.channel.Channel
import io.netty.channel.IoEvent
import io.netty.channel.IoEventLoop
import io.netty.channel.IoRegistration
import io.netty.channel.unix.Errors
import io.netty.channel.uring.IoUringIoEvent
import io.netty.channel.uring.IoUringIoHandle
import io.netty.channel.uring.IoUringIoOps
import java.io.IOException

/**
 * Receives one connection's bytes with a multishot `RECV` of its own on its event loop's ring, into the loop's
 * [UringBufferGroup]: one submission serves receive after receive, each completion naming the slot the kernel filled.
 *
 * [pause] cancels the armed receive and [resume] arms a new one, so a slow reader stops the kernel from filling more
 * slots for this connection (what Netty 4.2.18's multishot receive could not do). When the group is empty (`ENOBUFS`)
 * the connection receives once into a pooled buffer of its own, then arms the multishot receive again: readers slow to
 * give slots back delay nobody else. A kernel without multishot receives (`EINVAL`) gets single-shot ones from the
 * same group.
 *
 * The channel's own reading stays off (auto-read). Netty still arms `POLLRDHUP` on the channel; should it read when
 * the peer shuts down, what it reads is queued the same way, on the same loop (not seen in `UringReceiverTest`'s
 * close to a paused reader, where this receiver delivered every byte and the end). Everything runs on the channel's
 * event loop.
 */
internal class UringReceiver private constructor(
    private val channel: Channel,
    private val fd: Int,
    private val group: UringBufferGroup,
    private val sink: Sink,
) : IoUringIoHandle {

    /** Where received bytes go, on the event loop. */
    interface Sink {
        /** [buf] holds the next received bytes; the sink releases it. */
        fun received(buf: ByteBuf)

        /** The peer closed its side: no more bytes. */
        fun ended()

        /** Receiving failed with [cause]; the receiver has stopped. */
        fun failed(cause: IOException)
    }

    private var registration: IoRegistration? = null

    /** The armed receive's id (0: none armed). */
    private var armed = 0L
    private var cancelling = false

    /** The buffer of a receive that could not take a slot (its own), while it is armed. */
    private var own: ByteBuf? = null

    /** Receives armed, and receives that delivered bytes; on the loop (for tests: multishot serves many per arm). */
    var arms = 0
        private set
    var receives = 0
        private set

    /** Receives into the connection's own buffer (the group was empty); on the loop (for tests). */
    var ownReceives = 0
        private set

    private var wanted = true
    private var stopped = false
    private var multishot = group.multishot

    /** Stops asking the kernel for bytes (the reader is behind); what is already received still arrives. */
    fun pause() {
        wanted = false
        cancelArmed()
    }

    /** Asks the kernel for bytes again. */
    fun resume() {
        if (stopped || wanted) return
        wanted = true
        arm()
    }

    /** Stops receiving for good (the connection is closing); the registration goes once nothing is armed. Idempotent. */
    fun stop() {
        if (stopped) return
        stopped = true
        wanted = false
        if (armed != 0L) cancelArmed() else registration?.cancel()
    }

    /** Arms a receive from the group (multishot where the kernel has it), unless one is armed or none is wanted. */
    private fun arm() {
        if (armed != 0L || stopped || !wanted) return
        val reg = registration ?: return
        if (!channel.isOpen || !reg.isValid) return
        arms++
        armed = reg.submit(
            IoUringIoOps(RingOps.OP_RECV, RingOps.IOSQE_BUFFER_SELECT, if (multishot) RingOps.RECV_MULTISHOT else 0, fd, 0L, 0L, 0, 0, DATA_GROUP, group.id, 0, 0, 0L),
        )
    }

    /** Arms one receive into a pooled buffer of this connection's own (the group was empty). */
    private fun armOwn() {
        val reg = registration ?: return
        if (!channel.isOpen || !reg.isValid) return
        val buf = PooledByteBufAllocator.DEFAULT.directBuffer(OWN_BYTES)
        own = buf
        armed = reg.submit(
            IoUringIoOps(RingOps.OP_RECV, 0, 0, fd, 0L, buf.memoryAddress(), buf.capacity(), 0, DATA_OWN, 0, 0, 0, 0L),
        )
    }

    private fun cancelArmed() {
        val reg = registration ?: return
        if (armed == 0L || cancelling || !reg.isValid) return
        cancelling = true
        RingOps.cancel(reg, armed)
    }

    override fun handle(registration: IoRegistration, ioEvent: IoEvent) {
        val event = ioEvent as IoUringIoEvent
        when (event.data()) {
            DATA_GROUP -> groupReceived(event.res(), event.flags())
            DATA_OWN -> ownReceived(event.res())
        }
        if (stopped && armed == 0L) registration.cancel()
    }

    private fun groupReceived(res: Int, flags: Int) {
        if (flags and RingOps.CQE_F_MORE == 0) {
            armed = 0L
            cancelling = false
        }
        if (flags and RingOps.CQE_F_BUFFER != 0) {
            val buf = group.take(flags ushr RingOps.CQE_BUFFER_SHIFT, maxOf(res, 0))
            if (stopped || res <= 0) {
                buf.release()
            } else {
                receives++
                sink.received(buf)
            }
        }
        when {
            res > 0 -> arm() // no-op while the multishot receive is still armed
            res == 0 -> end()
            res == -RingOps.ENOBUFS -> if (wanted && !stopped) armOwn()
            res == -RingOps.ECANCELED || res == Errors.ERRNO_EAGAIN_NEGATIVE || res == -RingOps.EINTR -> arm()
            res == -RingOps.EINVAL && multishot -> {
                multishot = false // a kernel without multishot receives: single-shot ones from the same group
                arm()
            }
            else -> fail(res)
        }
    }

    private fun ownReceived(res: Int) {
        armed = 0L
        cancelling = false
        val buf = own ?: return
        own = null
        if (stopped || res <= 0) buf.release()
        when {
            stopped -> {}
            res > 0 -> {
                ownReceives++
                buf.writerIndex(res)
                sink.received(buf)
                arm()
            }
            res == 0 -> end()
            res == -RingOps.ECANCELED || res == Errors.ERRNO_EAGAIN_NEGATIVE || res == -RingOps.EINTR -> arm()
            else -> fail(res)
        }
    }

    private fun end() {
        if (stopped) return
        stopped = true
        sink.ended()
    }

    private fun fail(res: Int) {
        if (stopped) return
        stopped = true
        sink.failed(Errors.newIOException("recv", res))
    }

    /** The event loop is closing: nothing more completes. */
    override fun close() {
        stopped = true
        own?.release()
        own = null
    }

    internal companion object {
        /** The size of a connection's own receive buffer, used when the group is empty. */
        const val OWN_BYTES = 64 shl 10

        private const val DATA_GROUP: Short = 1
        private const val DATA_OWN: Short = 2

        /**
         * A receiver for [channel] from [group], registered with the channel's event loop and armed; call it on that
         * loop. Null where that cannot be done: the channel then reads as usual.
         */
        fun open(channel: Channel, group: UringBufferGroup, sink: Sink): UringReceiver? {
            val fd = RingOps.descriptorOnLoop(channel) ?: return null
            val receiver = UringReceiver(channel, fd, group, sink)
            receiver.registration = RingOps.register(channel.eventLoop() as IoEventLoop, receiver) ?: return null
            receiver.arm()
            return receiver
        }
    }
}
