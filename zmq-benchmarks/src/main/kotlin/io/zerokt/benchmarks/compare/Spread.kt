package io.zerokt.benchmarks.compare

/** The repeats of one cell: the median and the range of the figures that were measured, and what failed. */
class Spread(val values: List<Double>, val failures: List<String>) {
    /** The median (the mean of the middle two for an even count), or null when nothing was measured. */
    val median: Double? = values.sorted().let { sorted ->
        when {
            sorted.isEmpty() -> null
            sorted.size % 2 == 1 -> sorted[sorted.size / 2]
            else -> (sorted[sorted.size / 2 - 1] + sorted[sorted.size / 2]) / 2
        }
    }

    /** The smallest figure, or null. */
    val min: Double? = values.minOrNull()

    /** The largest figure, or null. */
    val max: Double? = values.maxOrNull()
}
