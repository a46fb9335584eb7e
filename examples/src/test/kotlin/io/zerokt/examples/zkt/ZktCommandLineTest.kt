package io.zerokt.examples.zkt

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.zerokt.SocketType
import picocli.CommandLine.TypeConversionException
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket

/**
 * `zkt`'s command-line contract without a working engine: parsing, help, usage errors (exit 2, one line) and the
 * runtime errors that need no peer (exit 1, one line). Runs that move messages belong in [ZktEndToEndTest].
 */
class ZktCommandLineTest : FunSpec({
    fun ZktOutcome.shouldBeOneErrorLine(exitCode: Int, vararg fragments: String) {
        this.exitCode shouldBe exitCode
        errLines shouldHaveSize 1
        errLines[0] shouldStartWith "zkt: error: "
        for (fragment in fragments) errLines[0] shouldContain fragment
        out shouldBe ""
    }

    val commands = listOf("local-thr", "remote-thr", "local-lat", "remote-lat", "perf", "cat", "echo")

    test("helpListsEveryCommandAndExitsZero") {
        val run = zkt("--help")
        run.exitCode shouldBe 0
        for (command in commands) run.out shouldContain command
    }

    test("eachCommandHasHelpThatExitsZero") {
        for (command in commands) {
            val run = zkt(command, "--help")
            run.exitCode shouldBe 0
            run.out shouldContain "Usage: zkt $command"
            run.err shouldBe ""
        }
    }

    test("versionNamesTheTool") {
        val run = zkt("--version")
        run.exitCode shouldBe 0
        run.out shouldStartWith "zkt "
    }

    test("noCommandIsAUsageError") {
        zkt().shouldBeOneErrorLine(2, "no command given", "cat")
    }

    test("anUnknownCommandIsAUsageError") {
        zkt("frobnicate").shouldBeOneErrorLine(2, "frobnicate")
    }

    test("perfToolsWithoutTheirArgumentsAreUsageErrorsNamingWhatIsMissing") {
        for (command in listOf("local-thr", "remote-thr", "local-lat", "remote-lat")) {
            zkt(command).shouldBeOneErrorLine(2, "Missing required parameters", "SIZE", "zkt $command --help")
            zkt(command, "tcp://127.0.0.1:5555").shouldBeOneErrorLine(2, "SIZE")
        }
    }

    test("aSizeThatIsNotANumberIsAUsageError") {
        zkt("local-thr", "tcp://*:5555", "big", "10").shouldBeOneErrorLine(2, "'big'")
    }

    test("aNegativeSizeOrAZeroCountIsAUsageError") {
        zkt("remote-thr", "tcp://127.0.0.1:5555", "-1", "10").shouldBeOneErrorLine(2, "SIZE")
        zkt("local-thr", "tcp://*:5555", "64", "0").shouldBeOneErrorLine(2, "COUNT")
        zkt("remote-lat", "tcp://127.0.0.1:5555", "64", "0").shouldBeOneErrorLine(2, "ROUNDTRIPS")
    }

    test("tooManyArgumentsIsAUsageError") {
        zkt("local-lat", "tcp://*:5555", "64", "10", "extra").shouldBeOneErrorLine(2, "extra")
    }

    test("socketTypeNamesAreCaseInsensitive") {
        val converter = SocketTypeConverter()
        converter.convert("push") shouldBe SocketType.PUSH
        converter.convert("Router") shouldBe SocketType.ROUTER
        converter.convert("XSUB") shouldBe SocketType.XSUB
    }

    test("draftSocketTypesAreRefusedByName") {
        shouldThrow<TypeConversionException> { SocketTypeConverter().convert("server") }.message!! shouldContain "draft"
    }

    test("catWithAnUnknownSocketTypeSaysWhichTypesExist") {
        zkt("cat", "-t", "pusher", "-c", "tcp://127.0.0.1:5555").shouldBeOneErrorLine(2, "pusher", "PUSH", "XSUB")
    }

    test("catWithoutATypeIsAUsageError") {
        zkt("cat", "-c", "tcp://127.0.0.1:5555").shouldBeOneErrorLine(2, "--type")
    }

    test("catWithoutAnEndpointIsAUsageError") {
        zkt("cat", "-t", "pull").shouldBeOneErrorLine(2, "-b/--bind", "-c/--connect")
    }

    test("catSubscribeNeedsASubscriber") {
        zkt("cat", "-t", "push", "-c", "tcp://127.0.0.1:5555", "-s", "topic").shouldBeOneErrorLine(2, "SUB")
    }

    test("catRefusesBadCountsTimeoutsLingersAndIdentities") {
        val base = arrayOf("cat", "-t", "dealer", "-c", "tcp://127.0.0.1:5555")
        zkt(*base, "-n", "0").shouldBeOneErrorLine(2, "--count")
        zkt(*base, "-n", "many").shouldBeOneErrorLine(2, "many")
        zkt(*base, "--timeout", "0").shouldBeOneErrorLine(2, "--timeout")
        zkt(*base, "--linger", "-2").shouldBeOneErrorLine(2, "--linger")
        zkt(*base, "--identity", "0x00ff").shouldBeOneErrorLine(2, "zero byte")
        zkt(*base, "--identity", "x".repeat(256)).shouldBeOneErrorLine(2, "255")
    }

    test("echoRefusesTypesThatCannotReply") {
        for (type in listOf("pub", "SUB", "push", "pull", "req", "xpub")) {
            zkt("echo", "-t", type, "-b", "tcp://127.0.0.1:5555").shouldBeOneErrorLine(2, "REP, ROUTER, DEALER or PAIR")
        }
    }

    test("echoWithoutAnEndpointIsAUsageError") {
        zkt("echo", "-t", "rep").shouldBeOneErrorLine(2, "-b/--bind")
    }

    test("perfRefusesUnknownTransportsAndBadNumbers") {
        zkt("perf", "--transport", "udp").shouldBeOneErrorLine(2, "udp")
        zkt("perf", "--size", "-1").shouldBeOneErrorLine(2, "--size")
        zkt("perf", "--count", "0").shouldBeOneErrorLine(2, "--count")
        zkt("perf", "--run-timeout", "0").shouldBeOneErrorLine(2, "--run-timeout")
        zkt("perf", "--io-threads", "0").shouldBeOneErrorLine(2, "--io-threads")
    }

    test("perfRepeatMustBeOneToAHundred") {
        zkt("perf", "--repeat", "0").shouldBeOneErrorLine(2, "--repeat must be 1 to 100, was 0")
        zkt("perf", "--repeat=101").shouldBeOneErrorLine(2, "--repeat must be 1 to 100, was 101")
        zkt("perf", "--repeat", "twice").shouldBeOneErrorLine(2, "--repeat")
    }

    test("anUnsupportedTransportIsARuntimeErrorNamingTheEndpoint") {
        awaitZkt(zktAsync("local-thr", "nonsense://x", "64", "1"), 30).shouldBeOneErrorLine(1, "nonsense://x")
    }

    test("bindingAnAddressInUseIsARuntimeErrorWithoutAStackTrace") {
        ServerSocket().use { taken ->
            taken.bind(InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            val endpoint = "tcp://127.0.0.1:${taken.localPort}"
            awaitZkt(zktAsync("local-thr", endpoint, "64", "1"), 30).shouldBeOneErrorLine(1, endpoint)
        }
    }
})
