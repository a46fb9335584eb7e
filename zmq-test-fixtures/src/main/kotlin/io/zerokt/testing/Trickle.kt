package io.zerokt.testing

import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * Sends bytes one at a time, byte `i` being `i.toByte()`, with [send], and sends each only once [received] (bytes
 * the other end has queued) shows the one before arrived, so that each becomes a receive of its own: a peer that
 * trickles one byte per segment. Stops after [max] bytes or once [stopped] (the other end paused reading); returns
 * how many it sent. Its wait spins, which no coroutine timeout can stop, so it fails by itself after [limit].
 */
suspend fun trickleBytes(
    max: Int,
    received: () -> Int,
    stopped: () -> Boolean,
    limit: Duration = 40.seconds,
    send: suspend (Int) -> Unit,
): Int {
    val deadline = System.nanoTime() + limit.inWholeNanoseconds
    var sent = 0
    while (sent < max && !stopped()) {
        send(sent)
        sent++
        while (received() < sent && !stopped()) {
            check(System.nanoTime() < deadline) { "byte $sent was never received" }
            Thread.onSpinWait()
        }
    }
    return sent
}

/**
 * Reads [total] bytes with [read] (which returns how many it read, or -1 at the end) and checks that byte `i` is
 * `i.toByte()`, as [trickleBytes] and its followers send them; returns the number read.
 */
suspend fun readCountingBytes(total: Int, read: suspend (ByteArray, Int, Int) -> Int): Int {
    val buffer = ByteArray(4096)
    var received = 0
    while (received < total) {
        val n = read(buffer, 0, buffer.size)
        check(n > 0) { "the stream ended after $received bytes" }
        for (i in 0 until n) check(buffer[i] == (received + i).toByte()) { "byte ${received + i} differs" }
        received += n
    }
    return received
}
