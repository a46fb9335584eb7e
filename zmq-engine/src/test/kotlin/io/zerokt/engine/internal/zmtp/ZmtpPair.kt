package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.Message

/**
 * Two [ZmtpConnection]s joined by in-memory byte pipes and a virtual clock (h11's `ConnectionPair`, quinn's `Pair`).
 *
 * [drive] moves every pending byte across until both sides are quiet, collecting each side's events in [aEvents]
 * and [bEvents]. [advanceTo] moves the clock, firing each side's timers in deadline order. Setting [aToB] or [bToA]
 * to false drops the bytes of that direction (a dead link or a silent peer). [chunk] limits how many bytes one
 * `receive` call gets (1 = byte by byte).
 */
internal class ZmtpPair(aConfig: ZmtpConfig, bConfig: ZmtpConfig, startMillis: Long = 0) {
    val a = ZmtpConnection(aConfig)
    val b = ZmtpConnection(bConfig)
    val aEvents = mutableListOf<ZmtpEvent>()
    val bEvents = mutableListOf<ZmtpEvent>()

    /** The virtual clock, in milliseconds. */
    var now: Long = startMillis
        private set

    /** Whether bytes written by A reach B. */
    var aToB: Boolean = true

    /** Whether bytes written by B reach A. */
    var bToA: Boolean = true

    /** The most bytes handed to one `receive` call. */
    var chunk: Int = Int.MAX_VALUE

    /** Total bytes delivered A to B, and B to A. */
    var bytesAToB: Long = 0
        private set
    var bytesBToA: Long = 0
        private set

    private val wireAB = OutputBuffer()
    private val wireBA = OutputBuffer()

    /** Starts both sides at the current time and drives the handshake. */
    fun start(): ZmtpPair {
        a.start(now)
        b.start(now)
        drive()
        return this
    }

    /** Moves bytes both ways until neither side has output. */
    fun drive() {
        var guard = 0
        while (a.hasPendingOutput() || b.hasPendingOutput() || wireAB.size > 0 || wireBA.size > 0) {
            check(++guard < 10_000) { "ZmtpPair did not settle" }
            a.drainOutput(wireAB)
            b.drainOutput(wireBA)
            deliver(wireAB, b, bEvents, aToB).also { bytesAToB += it }
            deliver(wireBA, a, aEvents, bToA).also { bytesBToA += it }
        }
        collect()
    }

    /** A sends [message] (and B receives it once driven). */
    fun sendFromA(message: Message) {
        a.encodeMessage(message, wireAB)
        drive()
    }

    /** B sends [message]. */
    fun sendFromB(message: Message) {
        b.encodeMessage(message, wireBA)
        drive()
    }

    /** A sends a subscription change. */
    fun subscribeFromA(topic: ByteArray, subscribe: Boolean = true) {
        a.encodeSubscription(topic, subscribe, wireAB)
        drive()
    }

    /** Advances the clock to [target], running every timer that falls due on the way, in order. */
    fun advanceTo(target: Long) {
        require(target >= now) { "time goes forward: $target < $now" }
        while (true) {
            val next = listOfNotNull(a.pollTimeout(), b.pollTimeout()).minOrNull()
            if (next == null || next > target) break
            now = maxOf(now, next)
            a.handleTimeout(now)
            b.handleTimeout(now)
            drive()
        }
        now = target
        drive()
    }

    /** Advances the clock by [millis]. */
    fun advanceBy(millis: Long) = advanceTo(now + millis)

    private fun deliver(wire: OutputBuffer, to: ZmtpConnection, events: MutableList<ZmtpEvent>, enabled: Boolean): Int {
        val n = wire.size
        if (enabled && n > 0 && !to.isFailed) {
            var p = 0
            while (p < n) {
                val len = minOf(chunk, n - p)
                to.receive(wire.array, p, len, now)
                p += len
            }
        }
        wire.clear()
        collect()
        return if (enabled) n else 0
    }

    private fun collect() {
        generateSequence { a.pollEvent() }.toCollection(aEvents)
        generateSequence { b.pollEvent() }.toCollection(bEvents)
    }
}
