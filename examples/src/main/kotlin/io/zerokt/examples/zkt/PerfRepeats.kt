package io.zerokt.examples.zkt

import java.util.Locale

/**
 * Folds the repeats of one perf case (`zkt perf --repeat N`) into the one row the table shows.
 *
 * The row holds the median of the repeats that succeeded, and its note says how many there were and their range:
 * `median of 3; range 1,201,334–1,398,002 msg/s` (throughput) or `median of 3; range 98.12–130.40 µs` (latency).
 * For an even count the median is the mean of the two middle values. Repeats that failed are left out and counted,
 * `; 1 of 3 failed: REASON` (distinct reasons joined by ` / `), and a note a repeat made itself follows with its
 * round (`; round 2: 12 of 20000 lost`), once for the rounds that made the same one (`; rounds 1, 2, 3: fell back to
 * the default engine: REASON`). When every repeat failed the row is an error row (`all 3 failed: REASON`).
 * A single run is returned as it is, so `--repeat 1` prints what a plain run prints.
 */
object PerfRepeats {
    /** The row for [runs], the results of one case in round order (round 1 first). */
    fun aggregate(runs: List<PerfResult>): PerfResult {
        require(runs.isNotEmpty()) { "no runs to aggregate" }
        val case = runs.first().case
        require(runs.all { it.case == case }) { "runs of different cases: ${runs.map { it.case }.distinct()}" }
        if (runs.size == 1) return runs.single()
        val reasons = runs.mapNotNull { it.error }.distinct().joinToString(" / ")
        val failed = runs.count { it.failed }
        val succeeded = runs.mapNotNull { it.measured }
        if (succeeded.isEmpty()) return PerfResult(case, null, "all ${runs.size} failed: $reasons")
        val throughput = case.pattern.measure == Measure.THROUGHPUT
        val values = succeeded.map {
            checkNotNull(if (throughput) it.messagesPerSecond else it.latencyMicros) { "$case measured no ${case.pattern.measure.label}" }
        }
        val range = if (throughput) {
            String.format(Locale.ROOT, "%,d–%,d msg/s", values.min().toLong(), values.max().toLong())
        } else {
            String.format(Locale.ROOT, "%.2f–%.2f µs", values.min(), values.max())
        }
        val note = buildList {
            add("median of ${values.size}; range $range")
            if (failed > 0) add("$failed of ${runs.size} failed: $reasons")
            val rounds = LinkedHashMap<String, MutableList<Int>>()
            runs.forEachIndexed { i, run -> run.measured?.note?.let { rounds.getOrPut(it) { ArrayList() }.add(i + 1) } }
            for ((said, which) in rounds) add("${if (which.size == 1) "round" else "rounds"} ${which.joinToString(", ")}: $said")
        }.joinToString("; ")
        val median = median(values)
        val measured = if (throughput) Measured(messagesPerSecond = median, note = note) else Measured(latencyMicros = median, note = note)
        return PerfResult(case, measured, null)
    }

    /** The median of [values] (not empty): the middle value, or for an even count the mean of the two middle ones. */
    fun median(values: List<Double>): Double {
        require(values.isNotEmpty()) { "no values to take the median of" }
        val sorted = values.sorted()
        val middle = sorted.size / 2
        return if (sorted.size % 2 == 1) sorted[middle] else (sorted[middle - 1] + sorted[middle]) / 2
    }
}
