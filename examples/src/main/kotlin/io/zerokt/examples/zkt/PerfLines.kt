package io.zerokt.examples.zkt

import io.zerokt.Message
import java.util.Locale

/** The report lines of libzmq's perf tools (`perf/local_thr.cpp`, `perf/remote_lat.cpp`), to the character. */
object PerfLines {
    /**
     * local_thr's four lines for [count] messages of [size] bytes received in [elapsedUs] µs:
     * throughput = count × 10⁶ / elapsed as an integer (an elapsed time of 0 counts as 1 µs),
     * megabits = throughput × size × 8 / 10⁶ with three decimals.
     */
    fun throughput(size: Int, count: Int, elapsedUs: Long): String {
        val elapsed = elapsedUs.coerceAtLeast(1)
        val messagesPerSecond = (count.toDouble() / elapsed.toDouble() * 1_000_000).toLong()
        val megabits = messagesPerSecond.toDouble() * size * 8 / 1_000_000
        return "message size: $size [B]\n" +
            "message count: $count\n" +
            "mean throughput: $messagesPerSecond [msg/s]\n" +
            "mean throughput: ${String.format(Locale.ROOT, "%.3f", megabits)} [Mb/s]\n"
    }

    /** remote_lat's three lines: latency = elapsed µs / (round trips × 2), three decimals. */
    fun latency(size: Int, roundTrips: Int, elapsedUs: Long): String {
        val latency = elapsedUs.toDouble() / (roundTrips.toDouble() * 2)
        return "message size: $size [B]\n" +
            "roundtrip count: $roundTrips\n" +
            "average latency: ${String.format(Locale.ROOT, "%.3f", latency)} [us]\n"
    }

    /** Fails like libzmq ("message of incorrect size received") unless [message] is one frame of [size] bytes. */
    fun checkSize(message: Message, size: Int) {
        if (message.size != 1 || message.first().size != size) {
            val got = if (message.size == 1) "${message.first().size} bytes" else "${message.size} frames"
            throw ZktException("message of incorrect size received ($got, expected one frame of $size bytes)")
        }
    }
}

/** Microseconds since [startNanos] (a `System.nanoTime()`), as libzmq's stopwatch counts them. */
internal fun microsSince(startNanos: Long): Long = (System.nanoTime() - startNanos) / 1_000
