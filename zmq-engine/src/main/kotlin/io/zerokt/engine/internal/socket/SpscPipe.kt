package io.zerokt.engine.internal.socket

import io.zerokt.Message
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.suspendCancellableCoroutine
import java.lang.invoke.VarHandle
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.resume

/**
 * A bounded [Pipe] for exactly one producer and one consumer at a time (libzmq's `ypipe_t` over `yqueue_t`): a
 * linked list of fixed chunks of plain slots. The producer fills a slot and then publishes the count of messages
 * sent with a release store; the consumer reads that count with an acquire load only when it has taken every message
 * it knew of. No atomic read-modify-write on either side. Each side may move between threads only with a
 * happens-before edge (the socket's receive lock; a connection's reader coroutine), never run concurrently.
 *
 * Room is counted: the producer sees the pipe full after [capacity] messages not yet taken. A producer that waits
 * for room ([send]) is woken when the pipe is half empty (libzmq's low-water mark), or closed. The consumer's take
 * publishes with a release store only; a waiting producer that read a stale count is found when the consumer next
 * sees the pipe empty, which fences first.
 *
 * A consumer that waits on a readiness signal pairs with a producer that fires it: the producer must put a full
 * fence between its last [trySend] and reading the signal's waiter. [RealSocket.wakeReaders] does; with [written]
 * the pipe itself does, after every message queued (a connection's writer waits on it), and fires it on [close].
 */
internal class SpscPipe(private val capacity: Int, private val written: ReadinessSignal? = null) : Pipe {
    init {
        require(capacity > 0) { "capacity must be positive: $capacity" }
    }

    /** Slots and link are plain: the release store of [sentCount] publishes them. */
    private class Chunk {
        val slots = arrayOfNulls<Message>(CHUNK)
        var next: Chunk? = null
    }

    /**
     * Each side's own plain fields, in an object of its own with padding behind, and the two published counts in
     * [PaddedCounter]s: in one object, every message made the producer's and the consumer's CPUs trade a cache line
     * that both were writing.
     */
    @Suppress("unused") // the padding is there to take space
    private class Side(var chunk: Chunk) {
        /** The next slot of [chunk] to fill (producer) or to take (consumer). */
        var index = 0

        /** Messages this side moved: sent (producer) or taken (consumer). */
        var moved = 0L

        /** The other side's published count, as this side last read it. */
        var otherSeen = 0L
        private val p1 = 0L
        private val p2 = 0L
        private val p3 = 0L
        private val p4 = 0L
        private val p5 = 0L
        private val p6 = 0L
        private val p7 = 0L
    }

    private val producer = Side(Chunk())
    private val consumer = Side(producer.chunk)

    /** Messages queued so far, published by the producer. */
    private val sentCount = PaddedCounter()

    /** Messages taken so far, published by the consumer. */
    private val takenCount = PaddedCounter()

    /** A drained chunk the consumer hands back for the producer to reuse (saves one allocation per chunk). */
    private val spare = AtomicReference<Chunk?>(null)

    /** The producer waiting in [send] for room. */
    private val blockedSender = AtomicReference<CancellableContinuation<Unit>?>(null)

    @Volatile private var closed = false

    private val lowWater = capacity / 2

    override fun trySend(message: Message): Boolean {
        if (closed) return false
        val p = producer
        if (p.moved - p.otherSeen >= capacity) {
            p.otherSeen = takenCount.get()
            if (p.moved - p.otherSeen >= capacity) return false
        }
        if (p.index == CHUNK) {
            val fresh = spare.getAndSet(null)?.also { it.next = null } ?: Chunk()
            p.chunk.next = fresh
            p.chunk = fresh
            p.index = 0
        }
        p.chunk.slots[p.index++] = message
        sentCount.lazySet(++p.moved)
        if (written != null) {
            VarHandle.fullFence()
            written.fire()
        }
        return true
    }

    override suspend fun send(message: Message) {
        while (true) {
            if (trySend(message)) return
            if (closed) throw ClosedSendChannelException("the pipe is closed")
            suspendCancellableCoroutine { cont ->
                blockedSender.set(cont)
                // Room (or a close) that came before the waiter was visible would wake nobody: look again.
                if ((closed || producer.moved - takenCount.get() < capacity) && blockedSender.compareAndSet(cont, null)) {
                    cont.resume(Unit)
                }
                cont.invokeOnCancellation { blockedSender.compareAndSet(cont, null) }
            }
        }
    }

    override fun tryReceive(): Message? {
        val c = consumer
        if (c.moved == c.otherSeen) {
            c.otherSeen = sentCount.get()
            if (c.moved == c.otherSeen) return empty()
        }
        if (c.index == CHUNK) {
            val drained = c.chunk
            c.chunk = drained.next!!
            c.index = 0
            spare.lazySet(drained)
        }
        val slots = c.chunk.slots
        val message = slots[c.index]!!
        slots[c.index++] = null
        takenCount.lazySet(++c.moved)
        if (blockedSender.get() != null && sentCount.get() - c.moved <= lowWater) wakeSender()
        return message
    }

    /**
     * The consumer found the pipe empty. A producer that went to wait on a count it read before our last take was
     * visible must not sleep on an empty pipe: fence (our count is now visible), then wake any waiter.
     */
    private fun empty(): Message? {
        VarHandle.fullFence()
        if (blockedSender.get() != null) wakeSender()
        return null
    }

    override val isEmpty: Boolean get() = takenCount.get() >= sentCount.get()

    override val isClosedForSend: Boolean get() = closed

    override val isClosedForReceive: Boolean get() = closed && isEmpty

    override fun close() {
        closed = true
        wakeSender()
        written?.fire()
    }

    private fun wakeSender() {
        blockedSender.getAndSet(null)?.resume(Unit)
    }

    private companion object {
        /** Messages per chunk. */
        const val CHUNK = 256
    }
}
