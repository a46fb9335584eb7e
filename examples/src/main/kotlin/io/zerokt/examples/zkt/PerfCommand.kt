package io.zerokt.examples.zkt

import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option
import java.util.Locale

/** `zkt perf`: a self-contained benchmark of ZeroKt (and optionally JeroMQ) in one process. */
@Command(
    name = "perf",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = [
        "Benchmarks ZeroKt in one process and prints a markdown table.",
        "Measures PUSH/PULL and PUB/SUB throughput, REQ/REP and DEALER/ROUTER",
        "round trips and DEALER/ROUTER throughput over inproc, ipc (in a temporary",
        "directory, deleted afterwards) and tcp (127.0.0.1, an ephemeral port),",
        "each after an untimed warm-up. Rows are grouped by test: zerokt, then",
        "io_uring and jeromq rows of the same test. --repeat N runs the whole",
        "list N times, round after round, so that each implementation meets",
        "the same moments of machine load. Progress goes to stderr, the table",
        "to stdout. A default run takes a minute or two; --quick a few seconds.",
    ],
    footer = [
        "",
        "Table: throughput rows give msg/s and MB/s (10^6 bytes of payload per",
        "second); latency rows give the one-way latency in µs, round trip / 2 as",
        "libzmq's perf tools. A measurement that fails or outlasts --run-timeout",
        "is an 'error' row with the reason and the run goes on; the exit status",
        "is then 1. With --repeat N a row gives the median of the repeats that",
        "succeeded and its note their range and any failures (exit status 1 if",
        "any failed); a row whose every repeat failed is an 'error' row.",
    ],
)
class PerfCommand : ZktSubcommand() {
    @Option(names = ["--quick"], description = ["Small counts (20,000 messages, 1,000 round trips): a few seconds in all."])
    var quick: Boolean = false

    @Option(names = ["--size"], paramLabel = "N", description = ["Message size in bytes. Repeatable (default: 64 and 1024)."])
    var sizes: MutableList<Int> = ArrayList()

    @Option(names = ["--transport"], paramLabel = "T", description = ["inproc, ipc or tcp. Repeatable (default: all three)."])
    var transports: MutableList<Transport> = ArrayList()

    @Option(names = ["--jeromq"], description = ["Also measure JeroMQ 0.6.0 (PUSH/PULL and REQ/REP, tcp and inproc) as 'jeromq' rows."])
    var jeromq: Boolean = false

    @Option(names = ["--count"], paramLabel = "N", description = ["Messages per throughput measurement (overrides the default and --quick)."])
    var messageCount: Int? = null

    @Option(names = ["--roundtrips"], paramLabel = "N", description = ["Round trips per latency measurement (overrides the default and --quick)."])
    var roundTripCount: Int? = null

    @Option(names = ["--run-timeout"], paramLabel = "SECONDS", description = ["Longest time one measurement may take (default: 60)."])
    var runTimeoutSeconds: Int = 60

    @Option(names = ["--pattern"], paramLabel = "P", description = ["push_pull, pub_sub, req_rep, dealer_router_latency or dealer_router_throughput. Repeatable (default: all)."])
    var patterns: MutableList<PerfPattern> = ArrayList()

    @Option(names = ["--io-uring-variants"], description = ["With --io-uring: also measure io_uring with TCP_CORK, with SEND_ZC (from 16 KiB) and with the multishot option (multishot receives)."])
    var ioUringVariants: Boolean = false

    @Option(
        names = ["--repeat"],
        paramLabel = "N",
        description = ["Run every case N times (1 to 100, default 1), in rounds; each row then shows the median, its note the range."],
    )
    var repeat: Int = 1

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        validate()
        val plan = PerfPlan(
            transports = transports.distinct().ifEmpty { Transport.entries },
            sizes = sizes.distinct().ifEmpty { PerfPlan.DEFAULT_SIZES },
            jeromq = jeromq,
            quick = quick,
            messageCount = messageCount,
            roundTripCount = roundTripCount,
            ioUringImpls = when {
                !common.ioUring -> emptyList()
                ioUringVariants -> listOf(Impl.ZEROKT_IO_URING, Impl.ZEROKT_IO_URING_CORK, Impl.ZEROKT_IO_URING_ZC, Impl.ZEROKT_IO_URING_MULTISHOT)
                else -> listOf(Impl.ZEROKT_IO_URING)
            },
            patterns = patterns.distinct().ifEmpty { PerfPattern.entries },
        )
        val cases = plan.cases()
        common.newContext().close() // no engine: one clear error now rather than an error row per measurement
        val runs = List(cases.size) { ArrayList<PerfResult>(repeat) }
        IpcDirectory().use { ipc ->
            BoundedRunner(runTimeoutSeconds * 1000L).use { runner ->
                val measurer = PerfMeasurer(common, ipc, runner, timeoutMillis = runTimeoutSeconds * 1000)
                for (round in 1..repeat) {
                    val roundLabel = if (repeat > 1) ", round $round/$repeat" else ""
                    cases.forEachIndexed { index, case ->
                        io.err.print("[${index + 1}/${cases.size}$roundLabel] ${case.describe()} ...")
                        io.err.flush()
                        val result = measurer.measure(case, plan.countsFor(case), run = (round - 1) * cases.size + index)
                        runs[index] += result
                        io.err.println(" " + summary(result))
                        io.err.flush()
                    }
                }
            }
        }
        val results = runs.map(PerfRepeats::aggregate)
        io.utf8Out().apply {
            write(PerfTable.render(results))
            write("\n")
            write(legend(plan, cases))
            flush()
        }
        val failed = runs.sumOf { repeats -> repeats.count { it.failed } }
        if (failed > 0) throw ZktException("$failed of ${cases.size * repeat} measurements failed (see the table)")
        return 0
    }

    private fun validate() {
        common.validate(spec)
        sizes.forEach { if (it < 0 || it > MAX_SIZE) usageError("--size must be 0 to $MAX_SIZE bytes, was $it") }
        messageCount?.let { if (it < 1) usageError("--count must be at least 1, was $it") }
        roundTripCount?.let { if (it < 1) usageError("--roundtrips must be at least 1, was $it") }
        if (repeat !in 1..MAX_REPEAT) usageError("--repeat must be 1 to $MAX_REPEAT, was $repeat")
        if (runTimeoutSeconds < 1) usageError("--run-timeout must be at least 1 second, was $runTimeoutSeconds")
        if (ioUringVariants && !common.ioUring) usageError("--io-uring-variants needs --io-uring")
        if (jeromq && transports.isNotEmpty() && transports.none { it != Transport.IPC }) {
            io.err.println("zkt: note: JeroMQ is only measured over tcp and inproc")
        }
    }

    private fun summary(result: PerfResult): String {
        val measured = result.measured ?: return "error: ${result.error}"
        val main = measured.messagesPerSecond?.let { String.format(Locale.ROOT, "%,d msg/s", it.toLong()) }
            ?: measured.latencyMicros?.let { String.format(Locale.ROOT, "%.2f µs", it) }
            ?: ""
        return main + (measured.note?.let { " ($it)" } ?: "")
    }

    private fun legend(plan: PerfPlan, cases: List<PerfCase>): String {
        val throughput = cases.firstOrNull { it.pattern.measure == Measure.THROUGHPUT }?.let(plan::countsFor)
        val latency = cases.firstOrNull { it.pattern.measure == Measure.LATENCY }?.let(plan::countsFor)
        val counts = listOfNotNull(
            throughput?.let { "throughput runs time ${it.timed} messages after ${it.warmUp} warm-up ones" },
            latency?.let { "latency runs time ${it.timed} round trips after ${it.warmUp} warm-up ones" },
        ).joinToString("; ")
        val cpus = Runtime.getRuntime().availableProcessors()
        val jvm = "${System.getProperty("java.vm.name")} ${System.getProperty("java.version")}"
        return "_${counts.ifEmpty { "no measurements" }} (smaller for large messages). Latency is one way " +
            "(round trip / 2, as libzmq); MB = 10^6 bytes of payload. $jvm, $cpus CPUs." +
            (if (repeat > 1) " Each row: median of $repeat rounds (--repeat $repeat), every case once per round in table order." else "") +
            "_\n"
    }

    private companion object {
        const val MAX_SIZE = 64 * 1024 * 1024
        const val MAX_REPEAT = 100
    }
}
