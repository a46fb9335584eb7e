package io.zerokt.benchmarks.compare

/** Reads the figure out of a perf tool's report (libzmq's lines: `mean throughput: N [msg/s]`, `average latency: N [us]`). */
object PerfOutput {
    private val THROUGHPUT = Regex("""^mean throughput: (\d+) \[msg/s]\s*$""", RegexOption.MULTILINE)
    private val LATENCY = Regex("""^average latency: ([0-9.]+) \[us]\s*$""", RegexOption.MULTILINE)

    /** Messages per second (throughput) or one-way microseconds (latency), or null when [output] has no such line. */
    fun figure(metric: Metric, output: String): Double? = when (metric) {
        Metric.THROUGHPUT -> THROUGHPUT.find(output)?.groupValues?.get(1)?.toDouble()
        Metric.LATENCY -> LATENCY.find(output)?.groupValues?.get(1)?.toDouble()
    }
}
