package io.zerokt.benchmarks.rig

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.delay
import kotlinx.coroutines.future.await
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicIntegerArray

/**
 * ZeroKt PUB → N SUBs. High-water marks are off (0) so nothing is dropped; the constructor returns once every SUB
 * has received a join probe (the slow-joiner problem), and only data messages ([DATA_MARK]) are counted.
 */
internal class ZeroKtFanOut(transport: Transport, subscribers: Int, size: Int) : ZeroKtRig(), FanOutRig {
    private val pub = socket(SocketType.PUB).apply { sendHighWaterMark = 0 }
    private val subs = List(subscribers) {
        socket(SocketType.SUB).apply {
            receiveHighWaterMark = 0
            subscribe("")
        }
    }
    private val data = Message.of(Frame.wrap(payload(maxOf(size, 1))))
    private val counter = FanOutCounter(subscribers)
    private val joined = AtomicIntegerArray(subscribers)

    init {
        join(pub, transport, subs)
        subs.forEachIndexed { index, sub ->
            scope.launch {
                while (isActive) {
                    val message = sub.tryReceive() ?: sub.receive()
                    if (message.first()[0] == DATA_MARK) counter.count() else joined.set(index, 1)
                }
            }
        }
        val probe = Message.of(Frame.wrap(payload(1, PROBE_MARK)))
        runBlocking {
            withTimeout(RIG_TIMEOUT_MILLIS.toLong()) {
                while ((0 until subscribers).any { joined.get(it) == 0 }) {
                    pub.send(probe)
                    delay(PROBE_INTERVAL_MILLIS)
                }
            }
        }
    }

    override fun publish(count: Int) = runBlocking {
        val done = CompletableFuture<Unit>()
        counter.expect(count, done)
        repeat(count) { if (!pub.trySend(data)) pub.send(data) }
        withTimeout(RIG_TIMEOUT_MILLIS.toLong()) { done.await() }
    }

    private companion object {
        const val PROBE_INTERVAL_MILLIS = 5L
    }
}
