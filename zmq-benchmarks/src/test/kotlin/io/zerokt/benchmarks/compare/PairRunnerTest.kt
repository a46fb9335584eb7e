package io.zerokt.benchmarks.compare

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.zerokt.testing.LibzmqGate
import java.io.File
import java.nio.file.Files
import kotlin.time.Duration.Companion.minutes

/**
 * Real runs of pairs of perf processes: JeroMQ peers from this test classpath, the libzmq C peer compiled here
 * (needs gcc and libzmq3-dev: the interop gate skips or, with -Dinterop.required=true, fails without them), and
 * stand-in "zkt" scripts that hang or fail, to show that a hung or broken peer is killed and reported.
 */
class PairRunnerTest : FunSpec({
    timeout = 3.minutes.inWholeMilliseconds

    val scratch = Files.createTempDirectory("pair-runner").toFile()
    afterSpec { scratch.deleteRecursively() }
    val classpath = System.getProperty("java.class.path")
    val java = File(System.getProperty("java.home"), "bin/java").path
    val libzmqPeer by lazy { LibzmqPeer.build(File(scratch, "peer")) }
    val libzmqGate = LibzmqGate(probe = { libzmqPeer.exceptionOrNull()?.message })

    fun script(name: String, body: String): String = File(scratch, name).apply {
        writeText("#!/bin/sh\n$body\n")
        setExecutable(true)
    }.path

    fun runner(zkt: String = "/nonexistent/zkt", libzmq: String = "/nonexistent/zmq_perf", timeoutMillis: Long = 30_000) =
        PairRunner(PeerCommands(zkt, libzmq, classpath, emptyList(), java), pin = false, timeoutMillis, scratch)

    test("jeromqPairOverTcpReportsThroughputAndLatency") {
        val r = runner()
        r.run(CompareCase(Metric.THROUGHPUT, "tcp", 64, Contender.JEROMQ, Contender.JEROMQ), Counts(100, 2_000))
            .getOrThrow() shouldBeGreaterThan 0.0
        r.run(CompareCase(Metric.LATENCY, "tcp", 64, Contender.JEROMQ, Contender.JEROMQ), Counts(10, 50))
            .getOrThrow() shouldBeGreaterThan 0.0
    }

    test("plainSocketPairMovesLargeMessages") {
        runner().run(CompareCase(Metric.THROUGHPUT, "tcp", 65536, Contender.NIO, Contender.NIO), Counts(10, 100))
            .getOrThrow() shouldBeGreaterThan 0.0
    }

    test("libzmqPeerTalksToJeroMqAndToItselfOverIpc") {
        libzmqGate.requireLibzmq()
        val r = runner(libzmq = libzmqPeer.getOrThrow().path)
        r.run(CompareCase(Metric.THROUGHPUT, "tcp", 1024, Contender.LIBZMQ, Contender.JEROMQ), Counts(100, 2_000))
            .getOrThrow() shouldBeGreaterThan 0.0
        r.run(CompareCase(Metric.LATENCY, "tcp", 64, Contender.JEROMQ, Contender.LIBZMQ), Counts(10, 50))
            .getOrThrow() shouldBeGreaterThan 0.0
        r.run(CompareCase(Metric.THROUGHPUT, "ipc", 64, Contender.LIBZMQ, Contender.LIBZMQ), Counts(100, 5_000))
            .getOrThrow() shouldBeGreaterThan 0.0
    }

    test("aHungReceiverIsKilledAndReportedAsHung") {
        val hangs = script("hangs", "exec sleep 600")
        val result = runner(zkt = hangs, timeoutMillis = 2_000)
            .run(CompareCase(Metric.THROUGHPUT, "tcp", 64, Contender.JEROMQ, Contender.ZEROKT), Counts(0, 100))
        result.isFailure shouldBe true
        result.exceptionOrNull()!!.message!! shouldStartWith "hung: receiver ZeroKt local-thr"
    }

    test("aFailingPeerIsReportedWithItsLastErrorLine") {
        val fails = script("fails", "echo 'zkt: error: cannot bind' >&2; exit 3")
        val result = runner(zkt = fails)
            .run(CompareCase(Metric.LATENCY, "tcp", 64, Contender.ZEROKT, Contender.JEROMQ), Counts(0, 10))
        result.exceptionOrNull()!!.message!! shouldContain "sender ZeroKt remote-lat exited with status 3: zkt: error: cannot bind"
    }
})
