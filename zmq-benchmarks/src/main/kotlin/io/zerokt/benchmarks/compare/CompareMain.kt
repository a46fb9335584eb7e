@file:JvmName("CompareMain")

package io.zerokt.benchmarks.compare

import java.io.File
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.Locale
import kotlin.system.exitProcess

/**
 * The cross-implementation comparison (run it with `bin/zkt-compare`): ZeroKt, JeroMQ and libzmq in every sender ×
 * receiver pair over tcp and ipc (where the pair can meet), 64 B and 1 KiB PUSH/PULL throughput and 64 B REQ/REP
 * latency, plus 64 KiB throughput of each implementation and of a plain java.nio socket pair; every cell repeated
 * (the repeats interleaved, so that a burst of outside load hits all cells alike), pinned, warmed up, and bounded
 * in time. Prints progress and the report, and writes the report (markdown) to `--out`.
 *
 * Options: `--zkt PATH` (ZeroKt's bin/zkt, required), `--out FILE` (default compare.md), `--repeats N` (3),
 * `--timeout SECONDS` per run (60), `--scale X` (message counts × X, default 1; `--quick` is 0.05), `--no-pin`,
 * `--java-opts "..."` (for every JVM peer; default `-Xms512m -Xmx512m -XX:+AlwaysPreTouch`), `--scratch DIR` (temporary files and the compiled libzmq peer).
 */
fun main(args: Array<String>) {
    val options = CompareOptions.parse(args)
    val scratch = File(options.scratch).apply { mkdirs() }
    val libzmq = LibzmqPeer.build(File(scratch, "libzmq-peer")).getOrElse {
        System.err.println("zkt-compare: error: ${it.message}")
        exitProcess(1)
    }
    val classpath = System.getProperty("java.class.path")
    val java = File(System.getProperty("java.home"), "bin/java").path
    val commands = PeerCommands(options.zkt, libzmq.path, classpath, options.javaOptions, java)
    val runner = PairRunner(commands, options.pin, options.timeoutSeconds * 1000L, scratch)
    val plan = ComparePlan.standard(options.scale)
    val cases = plan.cases()

    val started = Instant.now().truncatedTo(ChronoUnit.SECONDS)
    val loadBefore = MachineInfo.load()
    val figures = cases.associateWith { ArrayList<Double>() }
    val failures = cases.associateWith { ArrayList<String>() }
    val total = cases.size * options.repeats
    var done = 0
    for (repeat in 1..options.repeats) {
        for (case in cases) {
            done++
            val result = runner.run(case, plan.counts(case))
            result.onSuccess { figures.getValue(case) += it }.onFailure { failures.getValue(case) += it.message ?: it.toString() }
            val shown = result.fold({ Report.format(case.metric, it) + " " + case.metric.unit }, { "FAILED: ${it.message}" })
            System.err.println(String.format(Locale.ROOT, "[%d/%d] %s: %s", done, total, case.label, shown))
        }
    }
    val loadAfter = MachineInfo.load()
    val finished = Instant.now().truncatedTo(ChronoUnit.SECONDS)

    val results = cases.associateWith { Spread(figures.getValue(it), failures.getValue(it)) }
    val counts = listOf(64, 1024, plan.referenceSize).joinToString("; ") { size ->
        val c = plan.counts(CompareCase(Metric.THROUGHPUT, "tcp", size, Contender.ZEROKT, Contender.ZEROKT))
        "$size B: ${c.warmup} warm-up + ${c.count} timed"
    }
    val latencyCounts = plan.counts(CompareCase(Metric.LATENCY, "tcp", plan.latencySize, Contender.ZEROKT, Contender.ZEROKT))
    val header = listOf(
        "Measured $started to $finished with `bin/zkt-compare ${args.joinToString(" ")}`".trimEnd() + ".",
        "",
        "- Machine: ${MachineInfo.processors()} CPUs (${MachineInfo.cpuModel()}), Linux ${MachineInfo.kernel()}, " +
            "${MachineInfo.jvm()}, libzmq from the system (C peer built with gcc).",
        "- Load average (1, 5, 15 min) before: $loadBefore; after: $loadAfter.",
        "- Placement: " + (if (options.pin) "receiver (local-thr / local-lat) on CPU 0, sender (remote-thr / remote-lat) on CPU 1 (taskset)" else "unpinned") + ".",
        "- ${options.repeats} repeats per cell, interleaved; each run a fresh pair of processes, bounded by ${options.timeoutSeconds} s.",
        "- Messages: $counts; latency: ${latencyCounts.warmup} warm-up + ${latencyCounts.count} timed round trips.",
        "- JVM peers: ${if (options.javaOptions.isEmpty()) "default options" else options.javaOptions.joinToString(" ")} " +
            "(a JVM pinned to one CPU picks SerialGC).",
    )
    val text = Report(plan, results).markdown(header)
    File(options.out).writeText(text)
    println(text)
    System.err.println("zkt-compare: report written to ${File(options.out).absolutePath}")
}

/** The parsed command line of [main]. */
internal class CompareOptions(
    val zkt: String,
    val out: String,
    val repeats: Int,
    val timeoutSeconds: Int,
    val scale: Double,
    val pin: Boolean,
    val javaOptions: List<String>,
    val scratch: String,
) {
    companion object {
        fun parse(args: Array<String>): CompareOptions {
            var zkt: String? = null
            var out = "compare.md"
            var repeats = 3
            var timeout = 60
            var scale = 1.0
            var pin = true
            var javaOptions = DEFAULT_JAVA_OPTIONS
            var scratch = "target/compare"
            var i = 0
            fun value(): String = args.getOrNull(++i) ?: usage("${args[i - 1]} needs a value")
            while (i < args.size) {
                when (val arg = args[i]) {
                    "--zkt" -> zkt = value()
                    "--out" -> out = value()
                    "--repeats" -> repeats = value().toIntOrNull()?.takeIf { it >= 1 } ?: usage("--repeats must be 1 or more")
                    "--timeout" -> timeout = value().toIntOrNull()?.takeIf { it >= 1 } ?: usage("--timeout must be 1 or more seconds")
                    "--scale" -> scale = value().toDoubleOrNull()?.takeIf { it > 0 } ?: usage("--scale must be a positive number")
                    "--quick" -> scale = 0.05
                    "--no-pin" -> pin = false
                    "--java-opts" -> javaOptions = value().split(' ').filter { it.isNotBlank() }
                    "--scratch" -> scratch = value()
                    "-h", "--help" -> usage(null)
                    else -> usage("unknown argument '$arg'")
                }
                i++
            }
            return CompareOptions(zkt ?: usage("--zkt PATH (ZeroKt's bin/zkt) is required"), out, repeats, timeout, scale, pin, javaOptions, scratch)
        }

        /** A fixed, pre-touched heap for every JVM peer alike: no heap growth (page zeroing) while measuring. */
        val DEFAULT_JAVA_OPTIONS: List<String> = listOf("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch")

        private fun usage(problem: String?): Nothing {
            if (problem != null) System.err.println("zkt-compare: error: $problem")
            System.err.println(
                "usage: zkt-compare [--out FILE] [--repeats N] [--timeout SECONDS] [--scale X | --quick] [--no-pin] " +
                    "[--java-opts \"...\"] [--scratch DIR] --zkt PATH",
            )
            exitProcess(if (problem == null) 0 else 2)
        }
    }
}
