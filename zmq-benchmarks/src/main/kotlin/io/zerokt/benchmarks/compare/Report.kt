package io.zerokt.benchmarks.compare

import java.util.Locale

/**
 * The markdown report of a comparison: for each test a sender × receiver matrix of "median (min–max)", the ratios
 * of ZeroKt against JeroMQ and libzmq (each against itself, same run), the large-message reference, and every
 * failed or hung run.
 */
class Report(private val plan: ComparePlan, private val results: Map<CompareCase, Spread>) {
    /** The markdown text; [header] goes first (the machine, the command, the load). */
    fun markdown(header: List<String>): String = buildString {
        for (line in header) appendLine(line)
        appendLine()
        appendRatios()
        for (transport in plan.transports) {
            for (size in plan.throughputSizes) appendMatrix(Metric.THROUGHPUT, transport, size)
        }
        for (transport in plan.transports) appendMatrix(Metric.LATENCY, transport, plan.latencySize)
        appendReference()
        appendFailures()
    }

    private fun StringBuilder.appendRatios() {
        appendLine("### Ratios (each implementation talking to itself; throughput: higher is better, latency: lower is better)")
        appendLine()
        appendLine("| test | ZeroKt | JeroMQ | libzmq | ZeroKt ÷ JeroMQ | ZeroKt ÷ libzmq |")
        appendLine("|---|---:|---:|---:|---:|---:|")
        val rows = plan.transports.flatMap { t -> plan.throughputSizes.map { Triple(Metric.THROUGHPUT, t, it) } } +
            plan.transports.map { Triple(Metric.LATENCY, it, plan.latencySize) } +
            listOf(Triple(Metric.THROUGHPUT, "tcp", plan.referenceSize))
        for ((metric, transport, size) in rows) {
            val figures = Contender.IMPLEMENTATIONS.map { same(metric, transport, size, it) }
            val zkt = figures[0]
            append("| ${metric.title} $transport ${size} B (${metric.unit}) |")
            for (f in figures) append(" ${format(metric, f)} |")
            append(" ${ratio(zkt, figures[1])} | ${ratio(zkt, figures[2])} |")
            appendLine()
        }
        appendLine()
    }

    private fun StringBuilder.appendMatrix(metric: Metric, transport: String, size: Int) {
        appendLine("### ${metric.title}, $transport, $size B (${metric.unit}; median, min–max)")
        appendLine()
        val rowName = if (metric == Metric.THROUGHPUT) "sender ↓ / receiver →" else "REQ ↓ / REP →"
        appendLine("| $rowName | " + Contender.IMPLEMENTATIONS.joinToString(" | ") { it.label } + " |")
        appendLine("|---|" + Contender.IMPLEMENTATIONS.joinToString("") { "---:|" })
        for (sender in Contender.IMPLEMENTATIONS) {
            append("| ${sender.label} |")
            for (receiver in Contender.IMPLEMENTATIONS) {
                val spread = results[CompareCase(metric, transport, size, sender, receiver)]
                append(" ${cell(metric, spread, sender.canMeet(receiver, transport))} |")
            }
            appendLine()
        }
        appendLine()
    }

    private fun StringBuilder.appendReference() {
        val size = plan.referenceSize
        val reference = same(Metric.THROUGHPUT, "tcp", size, Contender.NIO)
        appendLine("### $size B over tcp against a plain blocking java.nio socket pair (Mb/s of payload)")
        appendLine()
        appendLine("| pair | msg/s (median, min–max) | Mb/s | % of plain socket |")
        appendLine("|---|---:|---:|---:|")
        for (contender in Contender.IMPLEMENTATIONS + Contender.NIO) {
            val spread = results[CompareCase(Metric.THROUGHPUT, "tcp", size, contender, contender)]
            val median = spread?.median
            val megabits = median?.let { String.format(Locale.ROOT, "%.0f", it * size * 8 / 1_000_000) } ?: "—"
            val share = if (median != null && reference != null) String.format(Locale.ROOT, "%.0f %%", 100 * median / reference) else "—"
            appendLine("| ${contender.label} → ${contender.label} | ${cell(Metric.THROUGHPUT, spread, true)} | $megabits | $share |")
        }
        appendLine()
    }

    private fun StringBuilder.appendFailures() {
        val failed = results.filterValues { it.failures.isNotEmpty() }
        if (failed.isEmpty()) return
        appendLine("### Failed or hung runs")
        appendLine()
        for ((case, spread) in failed) {
            for (failure in spread.failures) appendLine("- ${case.label}: $failure")
        }
        appendLine()
    }

    private fun same(metric: Metric, transport: String, size: Int, contender: Contender): Double? =
        results[CompareCase(metric, transport, size, contender, contender)]?.median

    companion object {
        /** "median (min–max)", "—" where the pair cannot meet, "failed" when no repeat produced a figure. */
        fun cell(metric: Metric, spread: Spread?, possible: Boolean): String {
            if (!possible) return "— (cannot connect)"
            val median = spread?.median ?: return "failed"
            val failed = if (spread.failures.isEmpty()) "" else " ${spread.failures.size} failed"
            return "${format(metric, median)} (${format(metric, spread.min)}–${format(metric, spread.max)})$failed"
        }

        /** Throughput from 100k msg/s on as thousands with a k (1234k), below as is; latency with one decimal. */
        fun format(metric: Metric, value: Double?): String = when {
            value == null -> "—"
            metric == Metric.LATENCY -> String.format(Locale.ROOT, "%.1f", value)
            value >= 100_000 -> String.format(Locale.ROOT, "%.0fk", value / 1000)
            else -> String.format(Locale.ROOT, "%.0f", value)
        }

        /** a ÷ b as "1.23x", or "—". */
        fun ratio(a: Double?, b: Double?): String =
            if (a == null || b == null || b == 0.0) "—" else String.format(Locale.ROOT, "%.2fx", a / b)
    }
}
