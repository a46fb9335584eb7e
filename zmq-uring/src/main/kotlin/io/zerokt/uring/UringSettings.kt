package io.zerokt.uring

import io.netty.buffer.PooledByteBufAllocator
import io.netty.channel.uring.IoUring
import io.netty.channel.uring.IoUringBufferRingConfig
import io.netty.channel.uring.IoUringFixedBufferRingAllocator
import io.netty.channel.uring.IoUringIoHandlerConfig
import io.zerokt.ZKT_CTX_IO_URING_BUFFER_RING_SIZE
import io.zerokt.ZKT_CTX_IO_URING_BUFFER_SIZE
import io.zerokt.ZKT_CTX_IO_URING_DEFER_TASKRUN
import io.zerokt.ZKT_CTX_IO_URING_RING_SIZE

/**
 * A context's io_uring settings (its `ZKT_CTX_IO_URING_*` options, or the defaults) as Netty's handler config.
 *
 * @property ringSize submission queue entries per ring.
 * @property bufferRingSize buffers in the receive buffer ring (a power of 2).
 * @property bufferSize bytes per buffer of the receive buffer ring.
 * @property deferTaskrun single-issuer rings with deferred task running (Netty's default), or completion work at once.
 */
internal class UringSettings(
    val ringSize: Int,
    val bufferRingSize: Int,
    val bufferSize: Int,
    val deferTaskrun: Boolean = true,
) {
    init {
        NettyUringDefaults.apply()
    }

    /** True when the kernel can register a buffer ring: sockets with the multishot option then receive into it. */
    val bufferRingSupported: Boolean = IoUring.isRegisterBufferRingSupported()

    /** Netty's handler config: the ring size, and the receive buffer ring where the kernel has one. */
    fun handlerConfig(): IoUringIoHandlerConfig {
        // Netty ties DEFER_TASKRUN to SINGLE_ISSUER: both or neither.
        val config = IoUringIoHandlerConfig().setRingSize(ringSize).setSingleIssuer(deferTaskrun)
        if (bufferRingSupported) {
            val ring = IoUringBufferRingConfig.builder()
                .bufferGroupId(BUFFER_GROUP)
                .bufferRingSize(bufferRingSize.toShort())
                .batchSize(maxOf(1, bufferRingSize / 2))
                .allocator(IoUringFixedBufferRingAllocator(PooledByteBufAllocator.DEFAULT, bufferSize))
                .batchAllocation(false)
                .build()
            config.setBufferRingConfig(ring)
        }
        return config
    }

    companion object {
        /** The buffer group id of the receive buffer ring. */
        const val BUFFER_GROUP: Short = 1

        /** The settings in [options] (context option id to value), with defaults for the unset ones. */
        fun of(options: Map<Int, Int>): UringSettings = UringSettings(
            ringSize = options[ZKT_CTX_IO_URING_RING_SIZE] ?: 4096,
            bufferRingSize = options[ZKT_CTX_IO_URING_BUFFER_RING_SIZE] ?: 64,
            bufferSize = options[ZKT_CTX_IO_URING_BUFFER_SIZE] ?: (64 shl 10),
            deferTaskrun = (options[ZKT_CTX_IO_URING_DEFER_TASKRUN] ?: 1) != 0,
        )
    }
}
