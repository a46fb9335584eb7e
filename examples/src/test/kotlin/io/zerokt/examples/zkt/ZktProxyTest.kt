package io.zerokt.examples.zkt

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.zerokt.testing.Ports

/**
 * `zkt proxy` and `zkt example`: a ROUTER/DEALER broker between `zkt cat` and `zkt echo` runs, steered over its control socket, and
 * its usage errors (one line, exit 2); each Java example run through `zkt example`.
 */
class ZktProxyTest : FunSpec({
    timeout = 120_000

    test("proxyBrokersRequestsAndStopsOnTerminateWithItsCounters") {
        val front = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val back = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val control = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val proxy = zktAsync(
            "proxy", "--frontend-type", "router", "--frontend-bind", front,
            "--backend-type", "dealer", "--backend-bind", back, "--control", control,
        )
        val worker = zktAsync("echo", "-t", "rep", "-c", back, "-n", "2")
        val client = awaitZkt(zktAsync("cat", "-t", "req", "-c", front, "--timeout", "20000", stdin = "hello\nworld\n"))
        client.exitCode shouldBe 0
        client.out shouldBe "hello\nworld\n"
        awaitZkt(worker).exitCode shouldBe 0

        val stopped = awaitZkt(zktAsync("cat", "-t", "req", "-c", control, "--timeout", "20000", stdin = "TERMINATE\n"))
        stopped.exitCode shouldBe 0
        val run = awaitZkt(proxy)
        run.exitCode shouldBe 0
        // Two requests of 3 frames in at the frontend (id, delimiter, body), two replies of 3 frames out.
        run.err shouldContain "frontend in 6/"
        run.err shouldContain "out 6/"
    }

    test("aFrontendThatCannotReceiveIsAUsageError") {
        val run = zkt("proxy", "--frontend-type", "push", "--frontend-bind", "tcp://127.0.0.1:*", "--backend-type", "pull", "--backend-bind", "tcp://127.0.0.1:*")
        run.exitCode shouldBe 2
        run.errLines.size shouldBe 1
        run.errLines[0] shouldStartWith "zkt: error: a PUSH frontend cannot receive"
    }

    test("aMissingEndpointIsAUsageError") {
        val run = zkt("proxy", "--frontend-type", "router", "--backend-type", "dealer", "--backend-bind", "tcp://127.0.0.1:*")
        run.exitCode shouldBe 2
        run.errLines.size shouldBe 1
        run.errLines[0] shouldStartWith "zkt: error: give the frontend an endpoint"
    }

    test("exampleRunsEachJavaExampleAndRejectsAnUnknownName") {
        for (name in listOf("hello-world", "pub-sub-topics", "pipeline", "broker", "poller-loop", "async-client")) {
            zkt("example", name).exitCode shouldBe 0
        }
        val unknown = zkt("example", "nope")
        unknown.exitCode shouldBe 2
        unknown.errLines.size shouldBe 1
        unknown.errLines[0] shouldStartWith "zkt: error: unknown example 'nope'"
    }

    test("aBindFailureIsOneLineAndExitOne") {
        val run = zkt("proxy", "--frontend-type", "router", "--frontend-bind", "bogus://x", "--backend-type", "dealer", "--backend-bind", "tcp://127.0.0.1:*")
        run.exitCode shouldBe 1
        run.errLines.size shouldBe 1
        run.errLines[0] shouldStartWith "zkt: error: cannot bind to bogus://x"
    }
})
