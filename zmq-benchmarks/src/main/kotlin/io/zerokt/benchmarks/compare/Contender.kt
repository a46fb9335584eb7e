package io.zerokt.benchmarks.compare

/** A party in the comparison: the three ZeroMQ implementations, and a plain socket pair as the large-message reference. */
enum class Contender(val label: String) {
    ZEROKT("ZeroKt"),
    JEROMQ("JeroMQ"),
    LIBZMQ("libzmq"),
    NIO("plain java.nio"),
    ;

    /** Whether a sender of this kind and a receiver of [other] can meet over [transport]. */
    fun canMeet(other: Contender, transport: String): Boolean = when {
        this == NIO || other == NIO -> this == other && transport == "tcp"
        transport == "ipc" -> (this == JEROMQ) == (other == JEROMQ) // JeroMQ's ipc is tcp underneath
        else -> true
    }

    companion object {
        /** The ZeroMQ implementations, in table order. */
        val IMPLEMENTATIONS: List<Contender> = listOf(ZEROKT, JEROMQ, LIBZMQ)
    }
}

/** The perf-tool roles; the timing side of each test is [LOCAL_THR] or [REMOTE_LAT]. */
enum class Role(val mode: String, val timing: Boolean) {
    LOCAL_THR("local-thr", true),
    REMOTE_THR("remote-thr", false),
    LOCAL_LAT("local-lat", false),
    REMOTE_LAT("remote-lat", true),
}

/**
 * How to start each contender's perf tool: [zkt] is ZeroKt's `bin/zkt`, [libzmqPeer] the compiled C peer,
 * [classpath] the benchmarks jar (JeroMQ and nio peers), [javaOptions] given to every JVM peer alike.
 */
class PeerCommands(
    private val zkt: String,
    private val libzmqPeer: String,
    private val classpath: String,
    private val javaOptions: List<String>,
    private val java: String = "java",
) {
    /**
     * The command line of [contender] playing [role]. The timing side gets `--warmup [warmup]`; its partner is
     * given the warm-up on top of [count]. Senders other than ZeroKt get `--hold` (they stay open until their stdin
     * closes); ZeroKt's remote-thr waits for delivery itself (LINGER -1).
     */
    fun command(contender: Contender, role: Role, endpoint: String, size: Int, count: Int, warmup: Int): List<String> {
        val total = if (role.timing) count else count + warmup
        val options = ArrayList<String>()
        if (role.timing && warmup > 0) options += listOf("--warmup", warmup.toString())
        if (role == Role.REMOTE_THR && contender != Contender.ZEROKT) options += "--hold"
        val tail = options + listOf(endpoint, size.toString(), total.toString())
        return when (contender) {
            Contender.ZEROKT -> listOf(zkt, role.mode) + tail
            Contender.JEROMQ -> jvm("io.zerokt.benchmarks.peers.JeroMqPerf") + role.mode + tail
            Contender.NIO -> jvm("io.zerokt.benchmarks.peers.NioPerf") + role.mode + tail
            Contender.LIBZMQ -> listOf(libzmqPeer, role.mode.replace('-', '_')) + tail
        }
    }

    /** The JVM options for ZeroKt's `bin/zkt` (its ZKT_JAVA_OPTS). */
    fun zktJavaOptions(): String = javaOptions.joinToString(" ")

    private fun jvm(main: String): List<String> = listOf(java) + javaOptions + listOf("-cp", classpath, main)
}
