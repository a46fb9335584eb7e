package io.zerokt.benchmarks.compare

/** What one cell of the comparison measures. */
enum class Metric(val title: String, val unit: String, val higherIsBetter: Boolean) {
    THROUGHPUT("PUSH/PULL throughput", "msg/s", true),
    LATENCY("REQ/REP latency (one way, remote_lat's figure)", "µs", false),
}

/** One cell: [sender] (remote-thr or remote-lat) against [receiver] (local-thr or local-lat). */
data class CompareCase(
    val metric: Metric,
    val transport: String,
    val size: Int,
    val sender: Contender,
    val receiver: Contender,
) {
    /** A short name for progress lines. */
    val label: String get() = "${metric.name.lowercase()} ${transport} ${size} B ${sender.label} → ${receiver.label}"
}

/** Message counts of one kind of test: [warmup] untimed, then [count] timed. */
data class Counts(val warmup: Int, val count: Int)

/** The whole comparison: which cells, and how many messages each. */
class ComparePlan(
    val transports: List<String>,
    val throughputSizes: List<Int>,
    val latencySize: Int,
    val referenceSize: Int,
    private val countsBySize: (Metric, Int) -> Counts,
) {
    /** Every cell, in a stable order: throughput by transport and size, then latency, then the large-message reference. */
    fun cases(): List<CompareCase> {
        val cells = ArrayList<CompareCase>()
        for (transport in transports) {
            for (size in throughputSizes) cells += pairs(Metric.THROUGHPUT, transport, size)
        }
        for (transport in transports) cells += pairs(Metric.LATENCY, transport, latencySize)
        for (contender in Contender.IMPLEMENTATIONS + Contender.NIO) {
            cells += CompareCase(Metric.THROUGHPUT, "tcp", referenceSize, contender, contender)
        }
        return cells
    }

    /** The counts for [case]. */
    fun counts(case: CompareCase): Counts = countsBySize(case.metric, case.size)

    private fun pairs(metric: Metric, transport: String, size: Int): List<CompareCase> =
        Contender.IMPLEMENTATIONS.flatMap { sender ->
            Contender.IMPLEMENTATIONS.filter { sender.canMeet(it, transport) }
                .map { receiver -> CompareCase(metric, transport, size, sender, receiver) }
        }

    companion object {
        /** The default plan: tcp and ipc; 64 B and 1 KiB throughput; 64 B latency; the 64 KiB reference over tcp. */
        fun standard(scale: Double): ComparePlan = ComparePlan(
            transports = listOf("tcp", "ipc"),
            throughputSizes = listOf(64, 1024),
            latencySize = 64,
            referenceSize = 65536,
        ) { metric, size ->
            fun scaled(n: Int) = maxOf(1, (n * scale).toInt())
            when {
                // JVM peers pinned to one CPU share it with their JIT compilers, which then take seconds to finish
                // with the hot path (-XX:+PrintCompilation: still compiling 3.5 s into a 64 B run). Warm-ups are
                // long enough for that: 64 B after 1,000,000 measured ZeroKt at 6.1-7.6M msg/s, after 20,000,000
                // at 14.7-15.1M (JeroMQ 5.3M -> 6.9M; libzmq 6.1-7.0M either way); 1 KiB 2.2M -> 3.2-3.4M after
                // 3,000,000; 64 KiB 34-38k -> 70-75k msg/s after 50,000 (2026-12-06). For round trips 5,000 were
                // not enough: ZeroKt measured 69-79 us one way after them, 43-48 us after 50,000 to 100,000
                // (libzmq 41-44 us either way).
                metric == Metric.LATENCY -> Counts(scaled(50_000), scaled(10_000))
                size <= 64 -> Counts(scaled(20_000_000), scaled(10_000_000))
                size <= 1024 -> Counts(scaled(3_000_000), scaled(2_000_000))
                else -> Counts(scaled(50_000), scaled(50_000))
            }
        }
    }
}
