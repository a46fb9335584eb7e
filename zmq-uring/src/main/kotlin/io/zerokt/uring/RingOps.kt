package io.zerokt.uring

import io.netty.channel.Channel
import io.netty.channel.IoEventLoop
import io.netty.channel.IoRegistration
import io.netty.channel.unix.UnixChannel
import io.netty.channel.uring.IoUringIoHandle
import io.netty.channel.uring.IoUringIoOps

/**
 * What the engine's own ring operations ([UringSender], [UringReceiver], [UringBufferGroup]) share: the io_uring
 * opcodes, flags and errno values they use (from the kernel's `io_uring.h` and `errno.h`; Netty's copies are
 * package-private), and their registration with a channel's event loop through Netty's public `IoEventLoop` API.
 */
internal object RingOps {
    const val OP_NOP: Byte = 0
    const val OP_POLL_ADD: Byte = 6
    const val OP_ASYNC_CANCEL: Byte = 14
    const val OP_SEND: Byte = 26
    const val OP_RECV: Byte = 27
    const val OP_PROVIDE_BUFFERS: Byte = 31
    const val OP_SEND_ZC: Byte = 47

    /** SQE flag: the kernel picks the receive buffer from the group named in `buf_group`. */
    const val IOSQE_BUFFER_SELECT: Byte = 0x20

    /** RECV `ioprio` flag: one submission, a completion per receive until it ends. */
    const val RECV_MULTISHOT: Short = 2

    /**
     * CQE flags: a buffer id is in the upper 16 bits; more completions follow for this submission; this is a
     * zero-copy send's notification (the kernel is done with the sent memory).
     */
    const val CQE_F_BUFFER = 1
    const val CQE_F_MORE = 2
    const val CQE_F_NOTIF = 8
    const val CQE_BUFFER_SHIFT = 16

    const val MSG_NOSIGNAL = 0x4000
    const val POLLOUT = 0x4
    const val EINTR = 4
    const val EINVAL = 22
    const val EOPNOTSUPP = 95
    const val ENOBUFS = 105
    const val ECANCELED = 125

    /** The operation's `data` of every cancellation (its completion is not looked at). */
    const val DATA_CANCEL: Short = 0x7FFF

    /** The descriptor of [channel] when it is an open io_uring (Unix) channel, asked on its event loop; else null. */
    fun descriptorOnLoop(channel: Channel): Int? {
        val loop = channel.eventLoop() as? IoEventLoop ?: return null
        if (!loop.inEventLoop() || !channel.isOpen || !loop.isCompatible(IoUringIoHandle::class.java)) return null
        return (channel as? UnixChannel)?.fd()?.takeIf { it.isOpen }?.intValue()
    }

    /**
     * Registers [handle] with [loop], from that loop, where registration completes at once; null otherwise (a
     * registration that completes later is cancelled then).
     */
    fun register(loop: IoEventLoop, handle: IoUringIoHandle): IoRegistration? {
        val future = loop.register(handle)
        if (!future.isDone) {
            future.addListener { if (it.isSuccess) future.getNow().cancel() }
            return null
        }
        return if (future.isSuccess) future.getNow() else null
    }

    /** Asks the kernel to cancel the operation [id] submitted through [registration]. */
    fun cancel(registration: IoRegistration, id: Long) {
        registration.submit(IoUringIoOps(OP_ASYNC_CANCEL, 0, 0, -1, 0L, id, 0, 0, DATA_CANCEL, 0, 0, 0, 0L))
    }
}
