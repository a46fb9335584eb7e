package io.zerokt.benchmarks.rig

import org.zeromq.SocketType
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicIntegerArray

/** JeroMQ PUB → N SUBs, each drained by its own thread; HWMs off, joined by probes, as [ZeroKtFanOut]. */
internal class JeroMqFanOut(transport: Transport, subscribers: Int, size: Int) : JeroMqRig(), FanOutRig {
    private val pub = socket(SocketType.PUB).apply { setSndHWM(0) }
    private val subs = List(subscribers) {
        socket(SocketType.SUB, POLL_MILLIS).apply {
            setRcvHWM(0)
            subscribe(ByteArray(0))
        }
    }
    private val data = payload(maxOf(size, 1))
    private val counter = FanOutCounter(subscribers)
    private val joined = AtomicIntegerArray(subscribers)

    init {
        join(pub, transport, subs)
        subs.forEachIndexed { index, sub ->
            background("jeromq-sub-$index") {
                while (running) {
                    val bytes = sub.recv(0) ?: continue
                    if (bytes[0] == DATA_MARK) counter.count() else joined.set(index, 1)
                }
            }
        }
        val probe = payload(1, PROBE_MARK)
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RIG_TIMEOUT_MILLIS.toLong())
        while ((0 until subscribers).any { joined.get(it) == 0 }) {
            if (System.nanoTime() > deadline) error("JeroMQ subscribers did not join within $RIG_TIMEOUT_MILLIS ms")
            pub.send(probe, 0)
            Thread.sleep(PROBE_INTERVAL_MILLIS)
        }
    }

    override fun publish(count: Int) {
        val done = CompletableFuture<Unit>()
        counter.expect(count, done)
        repeat(count) { pub.send(data, 0) }
        done.get(RIG_TIMEOUT_MILLIS.toLong(), TimeUnit.MILLISECONDS)
    }

    private companion object {
        const val PROBE_INTERVAL_MILLIS = 5L
    }
}
