package io.zerokt.engine.internal.socket

import io.zerokt.Message
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.suspendCancellableCoroutine
import java.lang.invoke.VarHandle
import java.util.concurrent.atomic.AtomicLong
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

    // Producer side.
    private var tail = Chunk()
    private var tailIndex = 0
    private var sent = 0L
    private var takenSeen = 0L

    // Consumer side.
    private var head = tail
    private var headIndex = 0
    private var taken = 0L
    private var sentSeen = 0L

    /** Messages queued so far, published by the producer. */
    private val sentCount = AtomicLong()

    /** Messages taken so far, published by the consumer. */
    private val takenCount = AtomicLong()

    /** A drained chunk the consumer hands back for the producer to reuse (saves one allocation per chunk). */
    private val spare = AtomicReference<Chunk?>(null)

    /** The producer waiting in [send] for room. */
    private val blockedSender = AtomicReference<CancellableContinuation<Unit>?>(null)

    @Volatile private var closed = false

    private val lowWater = capacity / 2

    override fun trySend(message: Message): Boolean {
        if (closed) return false
        if (sent - takenSeen >= capacity) {
            takenSeen = takenCount.get()
            if (sent - takenSeen >= capacity) return false
        }
        if (tailIndex == CHUNK) {
            val fresh = spare.getAndSet(null)?.also { it.next = null } ?: Chunk()
            tail.next = fresh
            tail = fresh
            tailIndex = 0
        }
        tail.slots[tailIndex++] = message
        sentCount.lazySet(++sent)
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
                if ((closed || sent - takenCount.get() < capacity) && blockedSender.compareAndSet(cont, null)) {
                    cont.resume(Unit)
                }
                cont.invokeOnCancellation { blockedSender.compareAndSet(cont, null) }
            }
        }
    }

    override fun tryReceive(): Message? {
        if (taken == sentSeen) {
            sentSeen = sentCount.get()
            if (taken == sentSeen) return empty()
        }
        if (headIndex == CHUNK) {
            val drained = head
            head = drained.next!!
            headIndex = 0
            spare.lazySet(drained)
        }
        val slots = head.slots
        val message = slots[headIndex]!!
        slots[headIndex++] = null
        takenCount.lazySet(++taken)
        if (blockedSender.get() != null && sentCount.get() - taken <= lowWater) wakeSender()
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
