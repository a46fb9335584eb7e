package io.zerokt.uring

import io.netty.channel.uring.IoUringIoHandlerConfig
import io.zerokt.ZKT_CTX_IO_URING_BUFFER_RING_SIZE
import io.zerokt.ZKT_CTX_IO_URING_BUFFER_SIZE
import io.zerokt.ZKT_CTX_IO_URING_DEFER_TASKRUN
import io.zerokt.ZKT_CTX_IO_URING_RING_SIZE

/**
 * A context's io_uring settings (its `ZKT_CTX_IO_URING_*` options, or the defaults) as Netty's handler config.
 *
 * @property ringSize submission queue entries per ring.
 * @property bufferRingSize buffers in each event loop's receive buffer group, for multishot receives ([UringBufferGroup]).
 * @property bufferSize bytes per buffer of that group.
 * @property deferTaskrun single-issuer rings with deferred task running (Netty's default), or completion work at once.
 */
internal class UringSettings(
    val ringSize: Int,
    val bufferRingSize: Int,
    val bufferSize: Int,
    val deferTaskrun: Boolean = true,
    /** False arms single-shot receives from the buffer group, as on a kernel without multishot ones (for tests). */
    val multishotReceives: Boolean = true,
    /**
     * True sends zero-copy on connections to this host too, where the kernel copies anyway (see [UringStream]):
     * `-Dzerokt.uring.zeroCopyLoopback=true`, read by [of] when a context makes its transport, to measure that cost.
     */
    val zeroCopyLoopback: Boolean = false,
) {
    /** Netty's handler config: the ring size and how its completions run. */
    fun handlerConfig(): IoUringIoHandlerConfig =
        // Netty ties DEFER_TASKRUN to SINGLE_ISSUER: both or neither.
        IoUringIoHandlerConfig().setRingSize(ringSize).setSingleIssuer(deferTaskrun)

    companion object {
        /** The system property that makes [zeroCopyLoopback] true. */
        const val ZERO_COPY_LOOPBACK_PROPERTY = "zerokt.uring.zeroCopyLoopback"

        /**
         * The settings in [options] (context option id to value), with defaults for the unset ones; [zeroCopyLoopback]
         * from its system property unless given.
         */
        fun of(
            options: Map<Int, Int>,
            zeroCopyLoopback: Boolean = java.lang.Boolean.getBoolean(ZERO_COPY_LOOPBACK_PROPERTY),
        ): UringSettings = UringSettings(
            ringSize = options[ZKT_CTX_IO_URING_RING_SIZE] ?: 4096,
            bufferRingSize = options[ZKT_CTX_IO_URING_BUFFER_RING_SIZE] ?: 64,
            bufferSize = options[ZKT_CTX_IO_URING_BUFFER_SIZE] ?: (64 shl 10),
            deferTaskrun = (options[ZKT_CTX_IO_URING_DEFER_TASKRUN] ?: 1) != 0,
            zeroCopyLoopback = zeroCopyLoopback,
        )
    }
}
