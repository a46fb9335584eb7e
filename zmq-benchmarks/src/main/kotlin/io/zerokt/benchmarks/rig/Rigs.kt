package io.zerokt.benchmarks.rig

/**
 * What the JMH benchmarks drive: a pair (or a fan) of connected sockets of one implementation, set up in the
 * constructor and torn down by [close]. Each call blocks the calling (JMH) thread until its work is done, and fails
 * with an exception (which JMH reports) when the peer stalls for [RIG_TIMEOUT_MILLIS].
 */
interface Rig : AutoCloseable

/** PUSH → PULL: a background sender sends flat out; [receive] takes the next [count] messages at the PULL. */
interface StreamRig : Rig {
    /** Receives [count] messages of the rig's size. */
    fun receive(count: Int)
}

/** A client (REQ or DEALER) and a server (REP or ROUTER) that echoes every request. */
interface RoundTripRig : Rig {
    /** Sends [count] requests one at a time, each waiting for its reply. */
    fun roundTrips(count: Int)
}

/** One PUB bound, N SUBs connected and subscribed to everything, each drained by its own consumer. */
interface FanOutRig : Rig {
    /** Publishes [count] messages and returns once every subscriber has received all of them. */
    fun publish(count: Int)
}

/** The implementations under test. */
enum class Implementation(val label: String) {
    ZEROKT("zerokt"),
    JEROMQ("jeromq"),
    ;

    companion object {
        /** The implementation named [label] (JMH's `impl` parameter). */
        fun of(label: String): Implementation =
            entries.firstOrNull { it.label == label } ?: throw IllegalArgumentException("unknown implementation '$label'")
    }
}

/** The round-trip socket pairs. */
enum class RoundTripPattern(val label: String) {
    REQ_REP("req-rep"),
    DEALER_ROUTER("dealer-router"),
    ;

    companion object {
        /** The pattern named [label] (JMH's `pattern` parameter). */
        fun of(label: String): RoundTripPattern =
            entries.firstOrNull { it.label == label } ?: throw IllegalArgumentException("unknown pattern '$label'")
    }
}

/** The factories the Java benchmarks call, by JMH parameter strings. */
object Rigs {
    /** A running PUSH/PULL stream of [size]-byte messages. */
    @JvmStatic
    fun stream(impl: String, transport: String, size: Int): StreamRig = when (Implementation.of(impl)) {
        Implementation.ZEROKT -> ZeroKtStream(Transport.of(transport), size)
        Implementation.JEROMQ -> JeroMqStream(Transport.of(transport), size)
    }

    /** A connected round-trip pair with [size]-byte requests. */
    @JvmStatic
    fun roundTrip(impl: String, pattern: String, transport: String, size: Int): RoundTripRig =
        when (Implementation.of(impl)) {
            Implementation.ZEROKT -> ZeroKtRoundTrip(RoundTripPattern.of(pattern), Transport.of(transport), size)
            Implementation.JEROMQ -> JeroMqRoundTrip(RoundTripPattern.of(pattern), Transport.of(transport), size)
        }

    /** A PUB with [subscribers] SUBs, all joined, sending [size]-byte messages. */
    @JvmStatic
    fun fanOut(impl: String, transport: String, subscribers: Int, size: Int): FanOutRig =
        when (Implementation.of(impl)) {
            Implementation.ZEROKT -> ZeroKtFanOut(Transport.of(transport), subscribers, size)
            Implementation.JEROMQ -> JeroMqFanOut(Transport.of(transport), subscribers, size)
        }
}

/** How long a rig waits for its peer before it fails. */
const val RIG_TIMEOUT_MILLIS: Int = 30_000

/** First byte of a fan-out data message; anything else (a join probe) is not counted. */
internal const val DATA_MARK: Byte = 'D'.code.toByte()

/** First byte of a fan-out join probe. */
internal const val PROBE_MARK: Byte = 'P'.code.toByte()

/** A [size]-byte payload whose first byte (if any) is [mark]. */
internal fun payload(size: Int, mark: Byte = DATA_MARK): ByteArray = ByteArray(size).also { if (size > 0) it[0] = mark }
