package io.zerokt.examples.zkt

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import io.kotest.matchers.string.shouldNotContain
import io.zerokt.testing.Ports

/**
 * `zkt` moving real messages through the ZeroKt engine: perf end to end, and pairs of in-process `zkt` runs that
 * talk over tcp as two separate processes would (each run has its own context). These need a working engine.
 *
 * The receiving side starts first; the sending side connects to it and the engine reconnects until it is there.
 */
class ZktEndToEndTest : FunSpec({
    test("perfQuickMeasuresEveryPatternAndTransportAndPrintsATable") {
        val run = awaitZkt(zktAsync("perf", "--quick", "--jeromq", "--run-timeout", "30"), 600)
        run.err shouldNotContain "error"
        run.exitCode shouldBe 0
        val rows = run.out.lines().filter { it.startsWith("| zerokt") || it.startsWith("| jeromq") }
        rows shouldHaveSize 38
        run.err shouldContain "[36/38] jeromq req/rep tcp 1024 B latency"
        run.err shouldContain "[38/38] dealer/router tcp 1024 B throughput"
    }

    test("perfRepeatRunsEveryCaseOncePerRoundAndShowsTheMedianWithItsRange") {
        val run = awaitZkt(
            zktAsync("perf", "--quick", "--transport", "inproc", "--pattern", "push_pull", "--size", "64", "--repeat", "2", "--run-timeout", "30"),
            120,
        )
        run.exitCode shouldBe 0
        run.errLines.filter { it.startsWith("[") }.map { it.substringBefore(" push/pull") } shouldBe
            listOf("[1/1, round 1/2]", "[1/1, round 2/2]")
        val rows = run.out.lines().filter { it.startsWith("| zerokt") }
        rows shouldHaveSize 1
        val cells = rows[0].split("|").map { it.trim() }
        cells.subList(1, 5) shouldBe listOf("zerokt", "push/pull", "inproc", "64")
        val range = Regex("median of 2; range ([\\d,]+)–([\\d,]+) msg/s").matchEntire(cells[8])
        range.shouldNotBeNull()
        val (low, high) = range.destructured.toList().map { it.replace(",", "").toLong() }
        val median = cells[5].replace(",", "").toLong()
        (low <= high) shouldBe true
        (median in low..high) shouldBe true
        run.out shouldContain "Each row: median of 2 rounds"
    }

    test("catPipesLinesFromPushToPull") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val pull = zktAsync("cat", "-t", "pull", "-b", endpoint, "-n", "3", "--timeout", "20000")
        val push = awaitZkt(zktAsync("cat", "-t", "PUSH", "-c", endpoint, stdin = "a\nb\tc\n0x0001\n"))
        push.exitCode shouldBe 0
        val received = awaitZkt(pull)
        received.err shouldBe ""
        received.exitCode shouldBe 0
        received.out shouldBe "a\nb\tc\n0x0001\n"
    }

    test("catReqGetsEachReplyFromEchoRep") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val echo = zktAsync("echo", "-t", "rep", "-b", endpoint, "-n", "2")
        val req = awaitZkt(zktAsync("cat", "-t", "req", "-c", endpoint, "--timeout", "20000", stdin = "hello\nworld\n"))
        req.exitCode shouldBe 0
        req.out shouldBe "hello\nworld\n"
        awaitZkt(echo).exitCode shouldBe 0
    }

    test("echoRouterRoutesRepliesBackToTheDealer") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val echo = zktAsync("echo", "-t", "router", "-b", endpoint, "-n", "2")
        val dealer = awaitZkt(zktAsync("cat", "-t", "dealer", "-c", endpoint, "-n", "2", "--timeout", "20000", stdin = "one\ttwo\nthree\n"))
        dealer.exitCode shouldBe 0
        dealer.out shouldBe "one\ttwo\nthree\n"
        awaitZkt(echo).exitCode shouldBe 0
    }

    test("catRepRepliesWithStdinLines") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val rep = zktAsync("cat", "-t", "rep", "-b", endpoint, "-n", "1", stdin = "pong\n")
        val req = awaitZkt(zktAsync("cat", "-t", "req", "-c", endpoint, "--timeout", "20000", stdin = "ping\n"))
        req.out shouldBe "pong\n"
        val served = awaitZkt(rep)
        served.exitCode shouldBe 0
        served.out shouldBe "ping\n"
    }

    test("catExitsWithOneWhenTheCountIsNotReachedBeforeTheTimeout") {
        val run = awaitZkt(zktAsync("cat", "-t", "pull", "-b", "tcp://127.0.0.1:*", "-n", "1", "--timeout", "200"))
        run.exitCode shouldBe 1
        run.errLines.last() shouldBe "zkt: error: received 0 of 1 messages"
    }

    test("localThrAndRemoteThrPrintLibzmqLines") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val local = zktAsync("local-thr", endpoint, "64", "10000")
        awaitZkt(zktAsync("remote-thr", endpoint, "64", "10000")).exitCode shouldBe 0
        val report = awaitZkt(local)
        report.exitCode shouldBe 0
        val lines = report.out.trimEnd().lines()
        lines shouldHaveSize 4
        lines[0] shouldBe "message size: 64 [B]"
        lines[1] shouldBe "message count: 10000"
        lines[2] shouldMatch Regex("mean throughput: \\d+ \\[msg/s]")
        lines[3] shouldMatch Regex("mean throughput: \\d+\\.\\d{3} \\[Mb/s]")
    }

    test("remoteThrThatConnectsBeforeLocalThrBindsStillDeliversEveryMessage") {
        // remote-thr connects first (the engine reconnects until local-thr listens) and closes with LINGER -1 right
        // after its last send: the messages must still all arrive.
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val remote = zktAsync("remote-thr", endpoint, "16", "3")
        val local = zktAsync("local-thr", endpoint, "16", "3")
        awaitZkt(remote, 30).exitCode shouldBe 0
        awaitZkt(local, 30).exitCode shouldBe 0
    }

    test("localLatAndRemoteLatPrintLibzmqLines") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val local = zktAsync("local-lat", endpoint, "32", "500")
        val report = awaitZkt(zktAsync("remote-lat", endpoint, "32", "500"))
        report.exitCode shouldBe 0
        report.out.trimEnd().lines() shouldHaveSize 3
        report.out shouldContain "message size: 32 [B]\nroundtrip count: 500\n"
        report.out shouldMatch Regex("(?s).*average latency: \\d+\\.\\d{3} \\[us]\n")
        awaitZkt(local).exitCode shouldBe 0
    }
})
