package io.zerokt.benchmarks.peers

import java.util.Locale
import kotlin.system.exitProcess

/**
 * The command line shared by the perf peers, libzmq's perf-tool arguments plus two options:
 * `MODE [--warmup N] [--hold] ENDPOINT SIZE COUNT`, MODE one of local-thr, remote-thr, local-lat, remote-lat
 * (underscores work too). `--warmup N`: the timing side (local-thr, remote-lat) first does N untimed messages or
 * round trips, so its partner must be given N + COUNT. `--hold`: a sender stays open after its last send until
 * standard input ends.
 */
internal class PerfArgs(
    val mode: String,
    val endpoint: String,
    val size: Int,
    val count: Int,
    val warmup: Int,
    val hold: Boolean,
) {
    companion object {
        /** Parses [args], or prints the usage and exits with status 2. */
        fun parse(tool: String, args: Array<String>): PerfArgs {
            val rest = ArrayList<String>()
            var warmup = 0
            var hold = false
            var i = 0
            while (i < args.size) {
                when (val arg = args[i]) {
                    "--warmup" -> warmup = args.getOrNull(++i)?.toIntOrNull() ?: usage(tool, "--warmup needs a number")
                    "--hold" -> hold = true
                    else -> rest += arg
                }
                i++
            }
            if (rest.size != 4) usage(tool, "expected MODE ENDPOINT SIZE COUNT")
            val mode = rest[0].replace('_', '-')
            if (mode !in MODES) usage(tool, "unknown mode '${rest[0]}'")
            val size = rest[2].toIntOrNull()?.takeIf { it >= 0 } ?: usage(tool, "bad SIZE '${rest[2]}'")
            val count = rest[3].toIntOrNull()?.takeIf { it >= 1 } ?: usage(tool, "bad COUNT '${rest[3]}'")
            if (warmup < 0) usage(tool, "--warmup must be 0 or more")
            return PerfArgs(mode, rest[1], size, count, warmup, hold)
        }

        private val MODES = setOf("local-thr", "remote-thr", "local-lat", "remote-lat")

        private fun usage(tool: String, problem: String): Nothing {
            System.err.println("$tool: error: $problem")
            System.err.println("usage: $tool local-thr|remote-thr|local-lat|remote-lat [--warmup N] [--hold] ENDPOINT SIZE COUNT")
            exitProcess(2)
        }
    }
}

/** libzmq local_thr's four report lines (integer msg/s, Mb/s with three decimals). */
internal fun throughputLines(size: Int, count: Int, elapsedMicros: Long): String {
    val elapsed = elapsedMicros.coerceAtLeast(1)
    val perSecond = (count.toDouble() / elapsed.toDouble() * 1_000_000).toLong()
    val megabits = (perSecond * size * 8).toDouble() / 1_000_000
    return "message size: $size [B]\nmessage count: $count\nmean throughput: $perSecond [msg/s]\n" +
        "mean throughput: ${String.format(Locale.ROOT, "%.3f", megabits)} [Mb/s]\n"
}

/** libzmq remote_lat's three report lines (one-way latency = elapsed / (round trips × 2)). */
internal fun latencyLines(size: Int, roundTrips: Int, elapsedMicros: Long): String {
    val latency = elapsedMicros.toDouble() / (roundTrips.toDouble() * 2)
    return "message size: $size [B]\nroundtrip count: $roundTrips\n" +
        "average latency: ${String.format(Locale.ROOT, "%.3f", latency)} [us]\n"
}

/** Blocks until standard input reaches end of file (the `--hold` option). */
internal fun awaitStdinEnd() {
    val buffer = ByteArray(256)
    while (System.`in`.read(buffer) >= 0) {
        // Discard: only the end matters.
    }
}

/** Fails like libzmq's tools on a message of the wrong size. */
internal fun checkSize(actual: Int, expected: Int) {
    if (actual != expected) throw IllegalStateException("message of incorrect size received ($actual bytes, expected $expected)")
}
