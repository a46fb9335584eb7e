package io.zerokt.engine.internal.socket

import java.util.concurrent.atomic.AtomicLong

/**
 * An [AtomicLong] followed by 56 bytes of padding, so that two counters made one after the other, each written by a
 * different thread, do not share a cache line (as JCTools' padded queue indices; `@Contended` is closed to
 * libraries). A peer counts what its sender queued and what its reader took in two of these: on one line with
 * each other and with the peer's read-mostly fields, every message made both threads' caches trade that line.
 */
@Suppress("unused") // the padding is there to take space
internal class PaddedCounter : AtomicLong() {
    private val p1 = 0L
    private val p2 = 0L
    private val p3 = 0L
    private val p4 = 0L
    private val p5 = 0L
    private val p6 = 0L
    private val p7 = 0L

    // AtomicLong is a Number: Kotlin asks for these two.
    override fun toByte(): Byte = get().toByte()

    override fun toShort(): Short = get().toShort()
}
