package io.zerokt.examples.zkt

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import io.zerokt.testing.Ports
import io.zerokt.uring.UringTransportProvider

/** `--io-uring` (and its tuning flags) on every `zkt` command: the same results as the default engine. */
class ZktIoUringTest : FunSpec({
    test("catAndEchoTakeIoUringAndItsTuningFlags") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val echo = zktAsync("echo", "-t", "rep", "-b", endpoint, "-n", "2", "--io-uring", "--io-uring-multishot")
        val req = awaitZkt(
            zktAsync(
                "cat", "-t", "req", "-c", endpoint, "--timeout", "20000", "--io-uring", "--io-uring-cork",
                "--io-uring-zc-threshold", "0", stdin = "hello\nworld\n",
            ),
        )
        req.exitCode shouldBe 0
        req.out shouldBe "hello\nworld\n"
        req.err shouldNotContain "falling back"
        awaitZkt(echo).exitCode shouldBe 0
    }

    test("localThrAndRemoteThrTakeIoUring") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val local = zktAsync("local-thr", endpoint, "64", "10000", "--io-uring")
        awaitZkt(zktAsync("remote-thr", endpoint, "64", "10000", "--io-uring")).exitCode shouldBe 0
        val report = awaitZkt(local)
        report.exitCode shouldBe 0
        report.out shouldContain "message count: 10000"
    }

    test("localLatAndRemoteLatTakeIoUring") {
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val local = zktAsync("local-lat", endpoint, "32", "500", "--io-uring")
        val report = awaitZkt(zktAsync("remote-lat", endpoint, "32", "500", "--io-uring"))
        report.exitCode shouldBe 0
        report.out shouldContain "roundtrip count: 500"
        awaitZkt(local).exitCode shouldBe 0
    }

    test("perfWithIoUringVariantsAddsIoUringRowsBesideTheDefaultEngine") {
        val run = awaitZkt(
            zktAsync(
                "perf", "--quick", "--transport", "tcp", "--size", "64", "--pattern", "push_pull", "--pattern", "REQ_REP",
                "--io-uring", "--io-uring-variants", "--run-timeout", "30",
            ),
            600,
        )
        run.exitCode shouldBe 0
        val rows = run.out.lines().filter { it.startsWith("| zerokt") }
        rows shouldHaveSize 10
        rows.filter { it.startsWith("| zerokt io_uring ") } shouldHaveSize 2
        rows.filter { it.startsWith("| zerokt io_uring+cork") } shouldHaveSize 2
        rows.filter { it.startsWith("| zerokt io_uring+zc") } shouldHaveSize 2
        rows.filter { it.startsWith("| zerokt io_uring+multishot") } shouldHaveSize 2
        run.out shouldNotContain "fell back"
    }

    test("perfSaysInTheNoteWhenAnIoUringRowFellBackToTheDefaultEngine") {
        System.setProperty(UringTransportProvider.DISABLE_PROPERTY, "by ZktIoUringTest")
        val run = try {
            zkt("perf", "--quick", "--transport", "tcp", "--size", "64", "--pattern", "push_pull", "--io-uring", "--repeat", "2")
        } finally {
            System.clearProperty(UringTransportProvider.DISABLE_PROPERTY)
        }
        run.exitCode shouldBe 0
        val rows = run.out.lines().filter { it.startsWith("| zerokt") }
        rows shouldHaveSize 2
        rows[0] shouldNotContain "fell back"
        rows[1] shouldStartWith "| zerokt io_uring "
        rows[1] shouldContain "rounds 1, 2: fell back to the default engine: io_uring disabled by the system property " +
            "${UringTransportProvider.DISABLE_PROPERTY}=by ZktIoUringTest"
    }

    test("ioUringFlagsRefuseBadUse") {
        for (
            (run, fragment) in listOf(
                zkt("perf", "--io-uring-variants") to "--io-uring-variants needs --io-uring",
                zkt("cat", "-t", "pull", "-b", "tcp://127.0.0.1:*", "--io-uring", "--io-uring-zc-threshold", "-2") to "--io-uring-zc-threshold",
            )
        ) {
            run.exitCode shouldBe 2
            run.errLines shouldHaveSize 1
            run.errLines[0] shouldContain fragment
        }
    }
})
