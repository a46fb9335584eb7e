package io.zerokt.examples.zkt

/** What one measurement found: a rate (throughput rows) or a one-way latency (latency rows), and an optional note. */
data class Measured(val messagesPerSecond: Double? = null, val latencyMicros: Double? = null, val note: String? = null) {
    companion object {
        /** [messages] received in [elapsedNanos]. */
        fun throughput(messages: Int, elapsedNanos: Long, note: String? = null): Measured =
            Measured(messagesPerSecond = messages * 1e9 / elapsedNanos.coerceAtLeast(1), note = note)

        /** [roundTrips] made in [elapsedNanos], as libzmq's one-way latency (round trip / 2). */
        fun latency(roundTrips: Int, elapsedNanos: Long): Measured =
            Measured(latencyMicros = elapsedNanos / 1_000.0 / (roundTrips * 2.0))
    }
}

/** A row of the table: [case] and either what it [measured] or why it failed ([error]). */
data class PerfResult(val case: PerfCase, val measured: Measured?, val error: String?) {
    /** True when the measurement did not complete. */
    val failed: Boolean get() = measured == null
}
