package io.zerokt.examples.zkt

import java.util.Locale

/**
 * The markdown table `zkt perf` prints at the end:
 *
 * ```
 * | impl   | pattern   | transport | size (B) |     msg/s |  MB/s | latency (µs) | note |
 * |--------|-----------|-----------|---------:|----------:|------:|-------------:|------|
 * | zerokt | push/pull | tcp       |       64 | 1,234,567 |  79.0 |              |      |
 * ```
 *
 * Throughput rows fill msg/s and MB/s (10⁶ bytes of payload per second); latency rows fill latency (one way,
 * round trip / 2, as libzmq's perf tools). A failed measurement says `error` and why in the note.
 */
object PerfTable {
    private val HEADER = listOf("impl", "pattern", "transport", "size (B)", "msg/s", "MB/s", "latency (µs)", "note")
    private val RIGHT_ALIGNED = setOf(3, 4, 5, 6)

    /** The table for [results], one row each, in order; every line ends with a newline. */
    fun render(results: List<PerfResult>): String {
        val rows = listOf(HEADER) + results.map(::cells)
        val widths = HEADER.indices.map { column -> rows.maxOf { it[column].length } }
        val out = StringBuilder()
        fun line(cells: List<String>) {
            out.append('|')
            cells.forEachIndexed { i, cell ->
                val padded = if (i in RIGHT_ALIGNED) cell.padStart(widths[i]) else cell.padEnd(widths[i])
                out.append(' ').append(padded).append(" |")
            }
            out.append('\n')
        }
        line(rows[0])
        line(widths.mapIndexed { i, w -> if (i in RIGHT_ALIGNED) "-".repeat(w - 1) + ":" else "-".repeat(w) })
        rows.drop(1).forEach(::line)
        return out.toString()
    }

    private fun cells(result: PerfResult): List<String> {
        val case = result.case
        val measured = result.measured
        val rate = measured?.messagesPerSecond
        val latency = measured?.latencyMicros
        return listOf(
            case.impl.label,
            case.pattern.label,
            case.transport.label,
            case.size.toString(),
            when {
                measured == null -> "error"
                rate != null -> String.format(Locale.ROOT, "%,d", rate.toLong())
                else -> ""
            },
            rate?.let { String.format(Locale.ROOT, "%.1f", it * case.size / 1e6) } ?: "",
            latency?.let { String.format(Locale.ROOT, "%.2f", it) } ?: "",
            (result.error ?: measured?.note ?: "").replace("|", "\\|"),
        )
    }
}
