package io.zerokt.examples.zkt

/** The transports `zkt perf` measures (`--transport`, any case). */
enum class Transport(val label: String) {
    INPROC("inproc"),
    IPC("ipc"),
    TCP("tcp"),
}

/** Which library a perf row measures. */
enum class Impl(val label: String) {
    ZEROKT("zerokt"),
    JEROMQ("jeromq"),

    /** ZeroKt on the io_uring engine, with the --io-uring-* tuning given (perf --io-uring). */
    ZEROKT_IO_URING("zerokt io_uring"),

    /** ZeroKt on io_uring with TCP_CORK (perf --io-uring-variants). */
    ZEROKT_IO_URING_CORK("zerokt io_uring+cork"),

    /** ZeroKt on io_uring with SEND_ZC from 16 KiB (perf --io-uring-variants). */
    ZEROKT_IO_URING_ZC("zerokt io_uring+zc"),

    /** ZeroKt on io_uring with multishot receives, its multishot option (perf --io-uring-variants). */
    ZEROKT_IO_URING_MULTISHOT("zerokt io_uring+multishot"),
    ;

    /** True for the rows that run ZeroKt (on any engine). */
    val isZeroKt: Boolean get() = this != JEROMQ
}

/** What a perf row measures. */
enum class Measure(val label: String) {
    /** Messages per second, one way, sender and receiver running flat out. */
    THROUGHPUT("throughput"),

    /** One-way latency as libzmq's perf tools define it: round trip / 2. */
    LATENCY("latency"),
}

/** The socket pairs `zkt perf` measures, in the order it runs them. */
enum class PerfPattern(val label: String, val measure: Measure) {
    PUSH_PULL("push/pull", Measure.THROUGHPUT),
    PUB_SUB("pub/sub", Measure.THROUGHPUT),
    REQ_REP("req/rep", Measure.LATENCY),
    DEALER_ROUTER_LATENCY("dealer/router", Measure.LATENCY),
    DEALER_ROUTER_THROUGHPUT("dealer/router", Measure.THROUGHPUT),
}

/** One measurement: a row of the final table. */
data class PerfCase(val impl: Impl, val pattern: PerfPattern, val transport: Transport, val size: Int) {
    /** The progress description: `push/pull tcp 64 B throughput` (prefixed with `jeromq` for JeroMQ rows). */
    fun describe(): String =
        (if (impl != Impl.ZEROKT) "${impl.label} " else "") + "${pattern.label} ${transport.label} $size B ${pattern.measure.label}"
}

/** How many messages a measurement sends: [warmUp] first, untimed, then [timed]. */
data class PerfCounts(val timed: Int, val warmUp: Int)

/** Chooses the cases and message counts of a `zkt perf` run. */
class PerfPlan(
    private val transports: List<Transport>,
    private val sizes: List<Int>,
    private val jeromq: Boolean,
    private val quick: Boolean,
    private val messageCount: Int?,
    private val roundTripCount: Int?,
    /** The io_uring impls to measure (tcp and ipc only), each right after the default engine's row of the same test. */
    private val ioUringImpls: List<Impl> = emptyList(),
    /** The patterns to measure (default: all). */
    private val patterns: List<PerfPattern> = PerfPattern.entries,
) {
    /**
     * Every case, grouped by test so that the rows one compares sit next to each other, in the table and in time: for
     * each transport, size and pattern (in the order given), `zerokt` first, then each of [ioUringImpls] in its order
     * (tcp and ipc only), then `jeromq` (with `--jeromq`; tcp and inproc, PUSH/PULL and REQ/REP only).
     */
    fun cases(): List<PerfCase> {
        val cases = ArrayList<PerfCase>()
        for (transport in transports) for (size in sizes) for (pattern in patterns) {
            cases += PerfCase(Impl.ZEROKT, pattern, transport, size)
            if (transport != Transport.INPROC) {
                for (impl in ioUringImpls) cases += PerfCase(impl, pattern, transport, size)
            }
            if (jeromq && transport in JEROMQ_TRANSPORTS && pattern in JEROMQ_PATTERNS) {
                cases += PerfCase(Impl.JEROMQ, pattern, transport, size)
            }
        }
        return cases
    }

    /**
     * The counts for [case]. Defaults aim at one to two minutes for a default run on two cores: 1,000,000 messages
     * (at most 200 MB) per throughput run and 20,000 round trips (at most 100 MB) per latency run; `--quick` uses
     * 20,000 messages and 1,000 round trips. A tenth more goes first as an untimed warm-up, and for round trips
     * at least [LATENCY_WARM_UP] (but with `--quick`): 500 left the JIT compiling the hot path while it was timed.
     */
    fun countsFor(case: PerfCase): PerfCounts {
        val size = case.size.coerceAtLeast(1).toLong()
        val timed = when (case.pattern.measure) {
            Measure.THROUGHPUT -> messageCount ?: capped(if (quick) 20_000 else 1_000_000, if (quick) 20_000_000 else 200_000_000, size, 200)
            Measure.LATENCY -> roundTripCount ?: capped(if (quick) 1_000 else 20_000, if (quick) 10_000_000 else 100_000_000, size, 50)
        }
        val floor = if (case.pattern.measure == Measure.LATENCY && !quick) LATENCY_WARM_UP else 1
        return PerfCounts(timed = timed, warmUp = (timed / 10).coerceAtLeast(floor))
    }

    private fun capped(count: Int, maxBytes: Long, size: Long, floor: Int): Int =
        minOf(count.toLong(), maxOf(floor.toLong(), maxBytes / size)).toInt()

    companion object {
        /** The default message sizes. */
        val DEFAULT_SIZES: List<Int> = listOf(64, 1024)

        /** The fewest untimed round trips before a timed latency run (but with `--quick`). */
        const val LATENCY_WARM_UP: Int = 20_000

        private val JEROMQ_TRANSPORTS = setOf(Transport.TCP, Transport.INPROC)
        private val JEROMQ_PATTERNS = listOf(PerfPattern.PUSH_PULL, PerfPattern.REQ_REP)
    }
}
