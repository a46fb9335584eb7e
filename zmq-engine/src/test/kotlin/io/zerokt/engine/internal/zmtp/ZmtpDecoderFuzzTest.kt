package io.zerokt.engine.internal.zmtp

import com.code_intelligence.jazzer.api.FuzzedDataProvider
import com.code_intelligence.jazzer.junit.FuzzTest
import io.zerokt.SocketType
import io.zerokt.engine.spi.OutputBuffer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue

/**
 * Jazzer targets for the sans-I/O codec (TESTING.md, kind 6). Under `mvn verify` each target replays its regression
 * inputs from `src/test/resources/io/zerokt/engine/internal/zmtp/ZmtpDecoderFuzzTestInputs/<method>/`; with
 * `JAZZER_FUZZ=1 mvn -pl zmq-engine test -Dtest=ZmtpDecoderFuzzTest` it fuzzes (see the README).
 *
 * The oracle is more than "does not crash": whatever the bytes, the codec never throws, stops at its first failure,
 * respects MAXMSGSIZE, and reports exactly the same events whether the bytes arrive at once or in pieces of any size.
 */
class ZmtpDecoderFuzzTest {
    /** Arbitrary bytes from the first byte of the greeting on: every path through the greeting and handshake. */
    @FuzzTest(maxDuration = "30s")
    fun handshake(data: FuzzedDataProvider) {
        val type = SocketType.entries[data.consumeInt(0, SocketType.entries.size - 1)]
        val cuts = data.consumeInts(8)
        val input = data.consumeRemainingAsBytes()
        checkSameEventsWhole(input, cuts) { ZmtpTestWire.started(ZmtpTestWire.config(type, maxMessageSize = LIMIT)) }
    }

    /** Arbitrary bytes after a completed NULL handshake between compatible types: framing, commands, MAXMSGSIZE. */
    @FuzzTest(maxDuration = "30s")
    fun traffic(data: FuzzedDataProvider) {
        val (ours, theirs) = PAIRS[data.consumeInt(0, PAIRS.size - 1)]
        val minor = data.consumeInt(0, 1)
        val cuts = data.consumeInts(8)
        val input = data.consumeRemainingAsBytes()
        checkSameEventsWhole(input, cuts) {
            ZmtpTestWire.handshaken(ZmtpTestWire.config(ours, maxMessageSize = LIMIT), theirs, minor)
        }
    }

    private fun checkSameEventsWhole(input: ByteArray, cuts: IntArray, make: () -> ZmtpConnection) {
        val whole = make()
        val wholeEvents = run(whole, listOf(input))
        val pieces = ArrayList<ByteArray>()
        var at = 0
        for (cut in cuts) {
            if (at >= input.size) break
            val n = Math.floorMod(cut, 64) + 1
            val end = minOf(input.size, at + n)
            pieces.add(input.copyOfRange(at, end))
            at = end
        }
        if (at < input.size) pieces.add(input.copyOfRange(at, input.size))
        val split = make()
        val splitEvents = run(split, pieces)
        assertEquals(wholeEvents, splitEvents, "the events depend on how the input was split")
        val failures = wholeEvents.count { it.startsWith("Failed") }
        assertTrue(failures <= 1 && (failures == 0 || wholeEvents.last().startsWith("Failed")), "nothing may follow a failure: $wholeEvents")
        assertEquals(failures == 1, whole.isFailed)
    }

    /** Feeds [pieces] in order, draining events and output after each, and returns the events as text. */
    private fun run(connection: ZmtpConnection, pieces: List<ByteArray>): List<String> {
        val events = ArrayList<String>()
        val out = OutputBuffer(256)
        for (piece in pieces) {
            connection.receive(piece, 0, piece.size, 0)
            while (true) {
                val event = connection.pollEvent() ?: break
                if (event is ZmtpEvent.MessageReceived) {
                    assertTrue(event.message.frames.all { it.size <= LIMIT }, "a frame over MAXMSGSIZE was delivered")
                }
                events.add(event.describe())
            }
            connection.drainOutput(out)
            out.clear()
        }
        connection.endOfInput(0)
        generateSequence { connection.pollEvent() }.forEach { events.add(it.describe()) }
        return events
    }

    private companion object {
        /** MAXMSGSIZE for the fuzzed connections: small enough that fuzzed lengths reach it. */
        const val LIMIT = 300L

        val PAIRS = listOf(
            SocketType.PULL to SocketType.PUSH,
            SocketType.SUB to SocketType.PUB,
            SocketType.XPUB to SocketType.SUB,
            SocketType.ROUTER to SocketType.DEALER,
            SocketType.REP to SocketType.REQ,
            SocketType.PAIR to SocketType.PAIR,
        )
    }
}
