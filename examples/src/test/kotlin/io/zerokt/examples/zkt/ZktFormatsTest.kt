package io.zerokt.examples.zkt

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.Frame
import io.zerokt.Message

/** The text formats `zkt` prints and reads: libzmq's perf lines, cat's frame text, and perf's table and plan. */
class ZktFormatsTest : FunSpec({
    test("throughputLinesMatchLibzmqLocalThr") {
        PerfLines.throughput(64, 1_000_000, 1_582_000) shouldBe
            "message size: 64 [B]\nmessage count: 1000000\nmean throughput: 632111 [msg/s]\nmean throughput: 323.641 [Mb/s]\n"
    }

    test("aZeroElapsedTimeCountsAsOneMicrosecond") {
        PerfLines.throughput(1, 1, 0) shouldContain "mean throughput: 1000000 [msg/s]"
    }

    test("latencyLinesMatchLibzmqRemoteLat") {
        PerfLines.latency(64, 10_000, 500_123) shouldBe
            "message size: 64 [B]\nroundtrip count: 10000\naverage latency: 25.006 [us]\n"
    }

    test("aTabSplitsALineIntoFrames") {
        MessageText.parseLine("a\tb\t") shouldBe Message.of("a", "b", "")
        MessageText.parseLine("") shouldBe Message.of(Frame.EMPTY)
    }

    test("hexFieldsAreSentAsBytesUnlessLiteral") {
        MessageText.parseLine("0x00ff\tx").frames[0].toByteArray().toList() shouldBe listOf<Byte>(0, -1)
        MessageText.parseLine("0x00ff", literal = true) shouldBe Message.of("0x00ff")
        MessageText.parseLine("0x0") shouldBe Message.of("0x0")
    }

    test("textFramesPrintAsTextAndOthersAsHex") {
        MessageText.format(Message.of("hello", "wörld")) shouldBe "hello\twörld"
        MessageText.format(Message.of(byteArrayOf(0, -128, 0, 0, 41))) shouldBe "0x0080000029"
        MessageText.format(Message.of("tab\there")) shouldBe "0x7461620968657265"
        MessageText.format(Message.of(Frame.EMPTY)) shouldBe ""
    }

    test("everyPrintedMessageParsesBackToItself") {
        val messages = listOf(
            Message.of("plain"),
            Message.of("0x41"),
            Message.of(byteArrayOf(1, 2, 3), "x".encodeToByteArray()),
            Message.of(byteArrayOf(0xc3.toByte())),
            Message.of("", "", ""),
        )
        for (message in messages) MessageText.parseLine(MessageText.format(message)) shouldBe message
    }

    test("defaultPlanHasFiveMeasurementsPerTransportAndSizeAndJeromqAddsEight") {
        val plan = PerfPlan(Transport.entries, PerfPlan.DEFAULT_SIZES, jeromq = false, quick = false, messageCount = null, roundTripCount = null)
        plan.cases() shouldHaveSize 30
        val withJeromq = PerfPlan(Transport.entries, PerfPlan.DEFAULT_SIZES, jeromq = true, quick = true, messageCount = null, roundTripCount = null)
        withJeromq.cases().count { it.impl == Impl.JEROMQ } shouldBe 8
        withJeromq.cases().none { it.impl == Impl.JEROMQ && it.transport == Transport.IPC } shouldBe true
    }

    test("casesAreGroupedByTestWithZeroKtThenIoUringThenJeromqInnermost") {
        val plan = PerfPlan(
            transports = listOf(Transport.INPROC, Transport.TCP),
            sizes = listOf(64, 1024),
            jeromq = true,
            quick = true,
            messageCount = null,
            roundTripCount = null,
            ioUringImpls = listOf(Impl.ZEROKT_IO_URING, Impl.ZEROKT_IO_URING_CORK),
            patterns = listOf(PerfPattern.PUSH_PULL, PerfPattern.PUB_SUB),
        )
        fun row(impl: Impl, pattern: PerfPattern, transport: Transport, size: Int) = PerfCase(impl, pattern, transport, size)
        plan.cases() shouldBe listOf(
            row(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.INPROC, 64),
            row(Impl.JEROMQ, PerfPattern.PUSH_PULL, Transport.INPROC, 64),
            row(Impl.ZEROKT, PerfPattern.PUB_SUB, Transport.INPROC, 64),
            row(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.INPROC, 1024),
            row(Impl.JEROMQ, PerfPattern.PUSH_PULL, Transport.INPROC, 1024),
            row(Impl.ZEROKT, PerfPattern.PUB_SUB, Transport.INPROC, 1024),
            row(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.TCP, 64),
            row(Impl.ZEROKT_IO_URING, PerfPattern.PUSH_PULL, Transport.TCP, 64),
            row(Impl.ZEROKT_IO_URING_CORK, PerfPattern.PUSH_PULL, Transport.TCP, 64),
            row(Impl.JEROMQ, PerfPattern.PUSH_PULL, Transport.TCP, 64),
            row(Impl.ZEROKT, PerfPattern.PUB_SUB, Transport.TCP, 64),
            row(Impl.ZEROKT_IO_URING, PerfPattern.PUB_SUB, Transport.TCP, 64),
            row(Impl.ZEROKT_IO_URING_CORK, PerfPattern.PUB_SUB, Transport.TCP, 64),
            row(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.TCP, 1024),
            row(Impl.ZEROKT_IO_URING, PerfPattern.PUSH_PULL, Transport.TCP, 1024),
            row(Impl.ZEROKT_IO_URING_CORK, PerfPattern.PUSH_PULL, Transport.TCP, 1024),
            row(Impl.JEROMQ, PerfPattern.PUSH_PULL, Transport.TCP, 1024),
            row(Impl.ZEROKT, PerfPattern.PUB_SUB, Transport.TCP, 1024),
            row(Impl.ZEROKT_IO_URING, PerfPattern.PUB_SUB, Transport.TCP, 1024),
            row(Impl.ZEROKT_IO_URING_CORK, PerfPattern.PUB_SUB, Transport.TCP, 1024),
        )
    }

    test("theDefaultPlanEndsWithTheLastTestOfTheLastTransportAndSize") {
        val plan = PerfPlan(Transport.entries, PerfPlan.DEFAULT_SIZES, jeromq = true, quick = true, messageCount = null, roundTripCount = null)
        val cases = plan.cases()
        cases.take(2) shouldBe listOf(
            PerfCase(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.INPROC, 64),
            PerfCase(Impl.JEROMQ, PerfPattern.PUSH_PULL, Transport.INPROC, 64),
        )
        cases.last() shouldBe PerfCase(Impl.ZEROKT, PerfPattern.DEALER_ROUTER_THROUGHPUT, Transport.TCP, 1024)
    }

    test("quickCountsAreSmallAndLargeMessagesAreCapped") {
        val quick = PerfPlan(listOf(Transport.TCP), listOf(64), jeromq = false, quick = true, messageCount = null, roundTripCount = null)
        quick.countsFor(PerfCase(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.TCP, 64)) shouldBe PerfCounts(20_000, 2_000)
        quick.countsFor(PerfCase(Impl.ZEROKT, PerfPattern.REQ_REP, Transport.TCP, 64)) shouldBe PerfCounts(1_000, 100)
        val full = PerfPlan(listOf(Transport.TCP), listOf(1 shl 20), jeromq = false, quick = false, messageCount = null, roundTripCount = null)
        full.countsFor(PerfCase(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.TCP, 1 shl 20)).timed shouldBe 200
    }

    test("roundTripsGetAWarmUpLongEnoughForTheJitButWithQuick") {
        val full = PerfPlan(listOf(Transport.TCP), listOf(64), jeromq = false, quick = false, messageCount = null, roundTripCount = 5_000)
        full.countsFor(PerfCase(Impl.ZEROKT, PerfPattern.REQ_REP, Transport.TCP, 64)) shouldBe PerfCounts(5_000, PerfPlan.LATENCY_WARM_UP)
        full.countsFor(PerfCase(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.TCP, 64)).warmUp shouldBe 100_000
    }

    test("theTableHasOneRowPerResultAndShowsErrors") {
        val ok = PerfResult(PerfCase(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.TCP, 64), Measured(messagesPerSecond = 1_234_567.0), null)
        val lat = PerfResult(PerfCase(Impl.JEROMQ, PerfPattern.REQ_REP, Transport.INPROC, 64), Measured(latencyMicros = 12.345), null)
        val bad = PerfResult(PerfCase(Impl.ZEROKT, PerfPattern.PUB_SUB, Transport.IPC, 1024), null, "stalled: no result within 60 s")
        val lines = PerfTable.render(listOf(ok, lat, bad)).trimEnd().lines()
        lines shouldHaveSize 5
        lines[0] shouldContain " msg/s |"
        lines[2] shouldContain "1,234,567"
        lines[2] shouldContain "79.0"
        lines[3] shouldContain "jeromq"
        lines[3] shouldContain "12.35"
        lines[4] shouldContain "error"
        lines[4] shouldContain "stalled"
        lines.map { it.length }.distinct() shouldHaveSize 1
    }
})
