package io.zerokt.uring

import io.netty.buffer.AbstractByteBuf
import io.netty.buffer.ByteBuf
import io.netty.buffer.PooledByteBufAllocator
import io.netty.util.ResourceLeakDetector
import java.util.concurrent.atomic.AtomicInteger

/**
 * Counts Netty buffers that were garbage-collected without being released, with Netty's own leak detector at
 * PARANOID level (every buffer tracked). [collect] runs the collector and lets the detector report.
 */
internal object NettyLeaks {
    private val leaks = AtomicInteger()
    private val records = java.util.concurrent.ConcurrentLinkedQueue<String>()

    init {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID)
        val field = AbstractByteBuf::class.java.getDeclaredField("leakDetector").apply { isAccessible = true }
        @Suppress("UNCHECKED_CAST")
        val detector = field.get(null) as ResourceLeakDetector<ByteBuf>
        detector.setLeakListener { _, record ->
            leaks.incrementAndGet()
            records.add(record)
        }
    }

    /** Leaks reported so far. */
    val count: Int get() = leaks.get()

    /** The access records of the reported leaks, for a failure message. */
    val reports: List<String> get() = records.toList()

    /** Collects garbage a few times and allocates tracked buffers, so that the detector reports what was lost. */
    fun collect() {
        repeat(5) {
            System.gc()
            Thread.sleep(20) // lets the reference queue fill; not a synchronisation on the engine
            PooledByteBufAllocator.DEFAULT.directBuffer(16).release()
        }
    }
}
