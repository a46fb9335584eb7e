package io.zerokt.examples.zkt

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * How `zkt perf --repeat N` folds the repeats of one case into a table row: median, range, failed repeats and the
 * notes of single repeats. The rounds themselves are run in [ZktEndToEndTest].
 */
class ZktPerfRepeatsTest : FunSpec({
    val pushPull = PerfCase(Impl.ZEROKT, PerfPattern.PUSH_PULL, Transport.TCP, 64)
    val reqRep = PerfCase(Impl.JEROMQ, PerfPattern.REQ_REP, Transport.TCP, 64)
    fun rate(value: Double, note: String? = null) = PerfResult(pushPull, Measured(messagesPerSecond = value, note = note), null)
    fun latency(value: Double) = PerfResult(reqRep, Measured(latencyMicros = value), null)
    fun failure(case: PerfCase, reason: String) = PerfResult(case, null, reason)

    test("anOddCountTakesTheMiddleValue") {
        PerfRepeats.median(listOf(3.0, 1.0, 2.0)) shouldBe 2.0
        PerfRepeats.median(listOf(7.5)) shouldBe 7.5
    }

    test("anEvenCountTakesTheMeanOfTheTwoMiddleValues") {
        PerfRepeats.median(listOf(4.0, 1.0, 10.0, 2.0)) shouldBe 3.0
        PerfRepeats.median(listOf(5.0, 6.0)) shouldBe 5.5
    }

    test("aThroughputRowShowsTheMedianRateAndTheRangeInItsNote") {
        val row = PerfRepeats.aggregate(listOf(rate(1_398_002.4), rate(1_201_334.0), rate(1_300_000.0)))
        row.error shouldBe null
        row.measured shouldBe Measured(messagesPerSecond = 1_300_000.0, note = "median of 3; range 1,201,334–1,398,002 msg/s")
    }

    test("aLatencyRowShowsTheMedianLatencyAndTheRangeInMicroseconds") {
        val row = PerfRepeats.aggregate(listOf(latency(130.4), latency(98.123), latency(100.0), latency(110.0)))
        row.measured shouldBe Measured(latencyMicros = 105.0, note = "median of 4; range 98.12–130.40 µs")
    }

    test("failedRepeatsAreLeftOutOfTheMedianAndCountedInTheNote") {
        val row = PerfRepeats.aggregate(listOf(rate(100.0), failure(pushPull, "did not finish within 60 s (--run-timeout)"), rate(300.0)))
        row.failed shouldBe false
        row.measured?.messagesPerSecond shouldBe 200.0
        row.measured?.note shouldBe "median of 2; range 100–300 msg/s; 1 of 3 failed: did not finish within 60 s (--run-timeout)"
    }

    test("whenEveryRepeatFailsTheRowIsAnErrorRowWithEachDistinctReason") {
        val row = PerfRepeats.aggregate(listOf(failure(reqRep, "stalled"), failure(reqRep, "refused"), failure(reqRep, "stalled")))
        row.failed shouldBe true
        row.error shouldBe "all 3 failed: stalled / refused"
        PerfTable.render(listOf(row)) shouldContain "| error |"
    }

    test("aRepeatsOwnNoteFollowsWithItsRound") {
        val row = PerfRepeats.aggregate(listOf(rate(10.0), rate(20.0, note = "5 of 20000 lost")))
        row.measured?.note shouldBe "median of 2; range 10–20 msg/s; round 2: 5 of 20000 lost"
    }

    test("theSameNoteFromSeveralRoundsIsSaidOnceWithItsRounds") {
        val fellBack = "fell back to the default engine: io_uring unavailable"
        val row = PerfRepeats.aggregate(listOf(rate(10.0, fellBack), rate(20.0, "1 of 9 lost"), rate(30.0, fellBack)))
        row.measured?.note shouldBe "median of 3; range 10–30 msg/s; rounds 1, 3: $fellBack; round 2: 1 of 9 lost"
    }

    test("aSingleRunIsShownAsItIs") {
        val once = rate(1_234.5, note = "3 of 20000 lost")
        PerfRepeats.aggregate(listOf(once)) shouldBe once
        val failedOnce = failure(pushPull, "stalled")
        PerfRepeats.aggregate(listOf(failedOnce)) shouldBe failedOnce
    }

    test("runsOfDifferentCasesAreRefused") {
        shouldThrow<IllegalArgumentException> { PerfRepeats.aggregate(listOf(rate(1.0), latency(2.0))) }
    }
})
