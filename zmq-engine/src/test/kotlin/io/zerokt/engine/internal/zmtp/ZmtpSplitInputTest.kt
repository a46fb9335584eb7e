package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.SocketType
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.ascii
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.command
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.config
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.data
import io.zerokt.engine.internal.zmtp.ZmtpTestWire.hex
import kotlin.random.Random

/**
 * The decoder must not care how reads cut the stream: a whole peer stream (greeting, READY, commands, short, long
 * and multipart frames) fed in two pieces split at every index, or byte by byte, gives exactly the events and the
 * output bytes of the unsplit stream.
 */
internal class ZmtpSplitInputTest : FunSpec({
    fun stream(bigSize: Int): ByteArray =
        ZmtpTestWire.greeting() +
            ZmtpTestWire.ready("Socket-Type" to ascii("DEALER"), "Identity" to ascii("peer-1"), "X-Extra" to ByteArray(300) { 9 }) +
            data("one") +
            data("a", more = true) + data(ByteArray(0), more = true) + data(ByteArray(bigSize) { (it % 251).toByte() }, more = true) +
            data(ascii("tail-in-long-form"), long = true) +
            command("PING", hex("00 0a") + ascii("ctx")) +
            command("SUBSCRIBE", ascii("t")) +
            command("PONG") +
            command("CANCEL", ascii("t"), long = true) +
            data(ByteArray(256) { 3 }) +
            data("last")

    class Outcome(val events: List<String>, val output: String)

    fun decode(stream: ByteArray, cuts: List<Int>): Outcome {
        val c = ZmtpTestWire.started(config(SocketType.ROUTER))
        c.output()
        var from = 0
        for (cut in cuts + stream.size) {
            c.receive(stream, from, cut - from, 0)
            from = cut
        }
        return Outcome(c.drainEvents().map { it.describe() }, c.output().toHex())
    }

    test("a stream split in two at every index decodes like the whole stream") {
        val s = stream(bigSize = 600)
        val whole = decode(s, emptyList())
        whole.events.size shouldBe 7
        whole.events.none { it.startsWith("Failed") } shouldBe true
        for (i in 0..s.size) {
            val split = decode(s, listOf(i))
            split.events shouldBe whole.events
            split.output shouldBe whole.output
        }
    }

    test("a stream fed one byte at a time decodes like the whole stream") {
        val s = stream(bigSize = 70_000)
        val whole = decode(s, emptyList())
        val oneByOne = decode(s, (1 until s.size).toList())
        oneByOne.events shouldBe whole.events
        oneByOne.output shouldBe whole.output
    }

    test("a stream cut at random places decodes like the whole stream") {
        val s = stream(bigSize = 70_000)
        val whole = decode(s, emptyList())
        val random = Random(42)
        repeat(200) {
            val cuts = List(random.nextInt(1, 40)) { random.nextInt(0, s.size + 1) }.sorted()
            decode(s, cuts).events shouldBe whole.events
        }
    }
})
