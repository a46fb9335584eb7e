package io.zerokt.engine.internal.socket

import io.zerokt.Message
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference
import java.util.concurrent.atomic.AtomicReferenceArray
import kotlin.coroutines.resume

/**
 * A bounded [Pipe] for exactly one producer and one consumer at a time (libzmq's `ypipe_t` over `yqueue_t`): a
 * linked list of fixed chunks, where a message is published by an ordered store into its slot and taken by reading
 * the slot back, with no atomic read-modify-write on either side. Each side may move between threads only with a
 * happens-before edge (the socket's receive lock; a connection's reader coroutine), never run concurrently.
 *
 * Room is counted: the producer sees the pipe full after [capacity] messages not yet taken. A producer that waits
 * for room ([send]) is woken when the pipe is half empty (libzmq's low-water mark), or closed.
 *
 * A consumer that waits on a readiness signal pairs with a producer that fires it: the producer must put a full
 * fence between its last [trySend] and reading the signal's waiter (the stores here are release stores only).
 * [RealSocket.wakeReaders] does.
 */
internal class SpscPipe(private val capacity: Int) : Pipe {
    init {
        require(capacity > 0) { "capacity must be positive: $capacity" }
    }

    private class Chunk {
        val slots = AtomicReferenceArray<Message?>(CHUNK)

        @Volatile var next: Chunk? = null
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
        val i = tailIndex
        if (i == CHUNK) {
            val fresh = spare.getAndSet(null)?.also { it.next = null } ?: Chunk()
            fresh.slots.lazySet(0, message)
            tail.next = fresh
            tail = fresh
            tailIndex = 1
        } else {
            tail.slots.lazySet(i, message)
            tailIndex = i + 1
        }
        sentCount.lazySet(++sent)
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
        var i = headIndex
        if (i == CHUNK) {
            val next = head.next ?: return null
            val drained = head
            head = next
            headIndex = 0
            i = 0
            spare.lazySet(drained)
        }
        val slots = head.slots
        val message = slots.get(i) ?: return null
        slots.lazySet(i, null)
        headIndex = i + 1
        // A full store: it orders the count before reading blockedSender, which pairs with send()'s set-then-check.
        takenCount.set(++taken)
        if (blockedSender.get() != null && sentCount.get() - taken <= lowWater) wakeSender()
        return message
    }

    override val isEmpty: Boolean get() = takenCount.get() >= sentCount.get()

    override val isClosedForSend: Boolean get() = closed

    override val isClosedForReceive: Boolean get() = closed && isEmpty

    override fun close() {
        closed = true
        wakeSender()
    }

    private fun wakeSender() {
        blockedSender.getAndSet(null)?.resume(Unit)
    }

    private companion object {
        /** Messages per chunk. */
        const val CHUNK = 256
    }
}
