package io.zerokt.uring

import io.netty.buffer.ByteBuf
import io.netty.buffer.UnpooledByteBufAllocator
import io.netty.buffer.UnpooledUnsafeDirectByteBuf
import io.netty.channel.IoEvent
import io.netty.channel.IoEventLoop
import io.netty.channel.IoRegistration
import io.netty.channel.uring.IoUringIoEvent
import io.netty.channel.uring.IoUringIoHandle
import io.netty.channel.uring.IoUringIoOps
import io.netty.util.internal.PlatformDependent
import org.slf4j.LoggerFactory
import java.nio.ByteBuffer

/**
 * One event loop's group of provided receive buffers (`IORING_OP_PROVIDE_BUFFERS`): [count] buffers of [size] bytes
 * in one direct slab, which the kernel picks from for the loop's multishot receives ([UringReceiver]).
 *
 * A received buffer is handed out as a [ByteBuf] over its slot; releasing it provides the slot again (on the loop). The
 * kernel can only fill slots it was given, so what all of the loop's connections hold unread never exceeds the slab,
 * and a receive that finds the group empty ends with `ENOBUFS` (its connection then receives into a buffer of its own
 * once, so that readers slow to release slots cannot starve the loop's other connections). Netty's own buffer ring
 * could not be used: its classes are package-private, and Netty 4.2.18's multishot receive into it could not be
 * paused (on the `ENOBUFS` that ends one it arms the next without looking at auto-read: 30 MB queued against the
 * 1 MiB pause limit in [UringStream]'s read-pause test).
 *
 * Everything but [release] runs on the loop. The slab is a `ByteBuffer.allocateDirect`, kept reachable by the loop's
 * registration of this group while the kernel may write into it, and by the handed-out buffers while they are read.
 */
internal class UringBufferGroup private constructor(
    private val loop: IoEventLoop,
    /** The group's id in the loop's ring. */
    val id: Short,
    private val count: Int,
    private val size: Int,
    /** Whether receivers start with multishot receives (they fall back to single-shot ones on `EINVAL` anyway). */
    val multishot: Boolean,
) : IoUringIoHandle {
    private val slab: ByteBuffer = ByteBuffer.allocateDirect(count * size)
    private val base: Long = PlatformDependent.directBufferAddress(slab)
    private var registration: IoRegistration? = null
    private var closed = false

    /** Slots given back and not yet provided again: provided together, once per loop iteration's task. */
    private val returned = ArrayList<Int>()
    private var provideScheduled = false

    /** Slots handed out and not given back yet; read on the loop (for tests). */
    var inUse = 0
        private set

    /** A [ByteBuf] over slot [slot]'s first [length] bytes; releasing it gives the slot back to the kernel. */
    fun take(slot: Int, length: Int): ByteBuf {
        inUse++
        val view = slab.duplicate()
        view.limit(slot * size + size).position(slot * size)
        return Slot(this, slot, view.slice()).writerIndex(length)
    }

    /** Gives slot [slot] back, from any thread; it is provided to the kernel again on the loop. */
    private fun release(slot: Int) {
        if (loop.inEventLoop()) {
            inUse--
            returned.add(slot)
            if (!provideScheduled) {
                provideScheduled = true
                loop.execute(::provideReturned)
            }
        } else {
            try {
                loop.execute { release(slot) }
            } catch (e: java.util.concurrent.RejectedExecutionException) {
                // The loop has shut down: its ring, and the kernel's hold on the slab, are gone.
            }
        }
    }

    private fun provideReturned() {
        provideScheduled = false
        if (closed) {
            returned.clear()
            return
        }
        val reg = registration ?: return
        // The kernel hands slots out in the order they were provided and readers give them back in the order they
        // came, so what is returned is mostly runs of consecutive slots: one PROVIDE_BUFFERS for each run.
        forEachRun(returned) { first, n -> provide(reg, first, n) }
        returned.clear()
    }

    private fun provide(reg: IoRegistration, first: Int, n: Int) {
        val address = base + first.toLong() * size
        reg.submit(IoUringIoOps(RingOps.OP_PROVIDE_BUFFERS, 0, 0, n, first.toLong(), address, size, 0, DATA_PROVIDE, id, 0, 0, 0L))
    }

    override fun handle(registration: IoRegistration, ioEvent: IoEvent) {
        val res = (ioEvent as IoUringIoEvent).res()
        if (res < 0 && !closed) log.warn("providing receive buffers to group {} failed: errno {}", id, -res)
    }

    /** The loop is shutting down: nothing is provided any more. */
    override fun close() {
        closed = true
    }

    /** A received slot's bytes; releasing it (reference count 0) gives the slot back. */
    private class Slot(private val group: UringBufferGroup, private val slot: Int, view: ByteBuffer) :
        UnpooledUnsafeDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, view, view.capacity()) {
        // The view does not own its memory: instead of freeing it, give the slot back.
        override fun deallocate() = group.release(slot)
    }

    internal companion object {
        private val log = LoggerFactory.getLogger(UringBufferGroup::class.java)
        private const val DATA_PROVIDE: Short = 1

        /** Groups made in this process so far (for tests: that a suite's sockets really receive with them). */
        val opened = java.util.concurrent.atomic.AtomicInteger()

        /**
         * Sorts [slots] (distinct) and calls [action] with the first slot and the length of each run of consecutive
         * ones, lowest first: 7, 3, 4, 5, 9 gives (3, 3), (7, 1), (9, 1).
         */
        inline fun forEachRun(slots: MutableList<Int>, action: (first: Int, n: Int) -> Unit) {
            if (slots.isEmpty()) return
            slots.sort()
            var first = slots[0]
            var n = 1
            for (i in 1 until slots.size) {
                val slot = slots[i]
                if (slot == first + n) {
                    n++
                } else {
                    action(first, n)
                    first = slot
                    n = 1
                }
            }
            action(first, n)
        }

        /** The largest slab a group allocates (a `ByteBuffer` holds at most 2 GiB). */
        const val MAX_SLAB_BYTES = 1L shl 30

        /**
         * A group of [count] buffers of [size] bytes with id [id], registered with [loop] and provided to its ring;
         * call on the loop. Null when the registration did not complete at once.
         */
        fun open(loop: IoEventLoop, id: Short, count: Int, size: Int, multishot: Boolean = true): UringBufferGroup? {
            check(loop.inEventLoop())
            if (count.toLong() * size > MAX_SLAB_BYTES) {
                log.warn("a receive buffer group of {} x {} bytes is too large (at most {}): sockets read without it", count, size, MAX_SLAB_BYTES)
                return null
            }
            val group = try {
                UringBufferGroup(loop, id, count, size, multishot)
            } catch (e: OutOfMemoryError) {
                log.warn("no direct memory for a receive buffer group of {} x {} bytes: sockets read without it", count, size)
                return null
            }
            val reg = RingOps.register(loop, group) ?: return null
            group.registration = reg
            group.provide(reg, 0, count)
            opened.incrementAndGet()
            return group
        }
    }
}
