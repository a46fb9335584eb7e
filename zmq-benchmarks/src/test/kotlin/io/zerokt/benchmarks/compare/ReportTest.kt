package io.zerokt.benchmarks.compare

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** Reading the perf tools' lines, the statistics of the repeats, and the markdown cells. */
class ReportTest : FunSpec({
    test("readsLibzmqPerfToolLines") {
        val thr = "message size: 64 [B]\nmessage count: 1000\nmean throughput: 3247043 [msg/s]\nmean throughput: 1662.486 [Mb/s]\n"
        PerfOutput.figure(Metric.THROUGHPUT, thr) shouldBe 3247043.0
        PerfOutput.figure(Metric.LATENCY, thr) shouldBe null
        val lat = "message size: 64 [B]\nroundtrip count: 10000\naverage latency: 277.795 [us]\n"
        PerfOutput.figure(Metric.LATENCY, lat) shouldBe 277.795
        PerfOutput.figure(Metric.THROUGHPUT, "zkt: error: cannot bind") shouldBe null
    }

    test("medianOfOddAndEvenCountsAndRange") {
        Spread(listOf(3.0, 1.0, 2.0), emptyList()).median shouldBe 2.0
        Spread(listOf(4.0, 1.0, 2.0, 3.0), emptyList()).median shouldBe 2.5
        Spread(listOf(4.0, 1.0), emptyList()).min shouldBe 1.0
        Spread(emptyList(), listOf("hung")).median shouldBe null
    }

    test("cellsShowMedianRangeFailuresAndImpossiblePairs") {
        Report.cell(Metric.THROUGHPUT, Spread(listOf(1_500_000.0, 1_400_000.0, 1_600_000.0), emptyList()), true) shouldBe
            "1500k (1400k–1600k)"
        Report.cell(Metric.LATENCY, Spread(listOf(55.25), listOf("hung")), true) shouldBe "55.3 (55.3–55.3) 1 failed"
        Report.cell(Metric.LATENCY, Spread(emptyList(), listOf("hung")), true) shouldBe "failed"
        Report.cell(Metric.LATENCY, null, false) shouldBe "— (cannot connect)"
        Report.ratio(2.0, 1.0) shouldBe "2.00x"
        Report.ratio(2.0, null) shouldBe "—"
    }

    test("reportListsRatiosAndFailures") {
        val plan = ComparePlan.standard(1.0)
        val results = plan.cases().associateWith { case ->
            when {
                case.sender == Contender.ZEROKT && case.receiver == Contender.ZEROKT -> Spread(emptyList(), listOf("hung: receiver killed"))
                case.metric == Metric.THROUGHPUT -> Spread(listOf(1_000_000.0), emptyList())
                else -> Spread(listOf(50.0), emptyList())
            }
        }
        val text = Report(plan, results).markdown(listOf("header line"))
        text shouldContain "header line"
        text shouldContain "| PUSH/PULL throughput tcp 64 B (msg/s) | — | 1000k | 1000k | — | — |"
        text shouldContain "- throughput tcp 64 B ZeroKt → ZeroKt: hung: receiver killed"
        text shouldContain "| plain java.nio → plain java.nio | 1000k (1000k–1000k) | 524288 | 100 % |"
    }
})
