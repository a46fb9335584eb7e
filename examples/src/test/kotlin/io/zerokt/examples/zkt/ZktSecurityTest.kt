package io.zerokt.examples.zkt

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import io.zerokt.security.CurveKeyPair
import io.zerokt.testing.Ports
import java.nio.file.Files

/**
 * `zkt keygen` and the PLAIN/CURVE options of `zkt cat`/`zkt echo`: pairs of in-process runs talking over tcp,
 * refused credentials (the client then times out without a reply) and usage errors.
 */
class ZktSecurityTest : FunSpec({
    fun keys(): Pair<String, String> {
        val run = zkt("keygen")
        run.exitCode shouldBe 0
        val lines = run.out.trimEnd().lines()
        lines.size shouldBe 2
        lines[0] shouldMatch Regex("public: .{40}")
        lines[1] shouldMatch Regex("secret: .{40}")
        return lines[0].removePrefix("public: ") to lines[1].removePrefix("secret: ")
    }

    test("keygenPrintsAPublicKeyThatBelongsToItsSecretKey") {
        val (public, secret) = keys()
        CurveKeyPair.fromSecretKey(secret).publicKeyZ85 shouldBe public
        (keys().first != keys().first) shouldBe true // every run makes a new pair
    }

    test("catReqTalksToEchoRepOverCurveWithAnAllowedClientKey") {
        val (serverPublic, serverSecret) = keys()
        val (clientPublic, clientSecret) = keys()
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val echo = zktAsync("echo", "-t", "rep", "-b", endpoint, "-n", "1", "--curve-server", "--curve-secret-key", serverSecret, "--curve-allow", clientPublic)
        val req = awaitZkt(
            zktAsync(
                "cat", "-t", "req", "-c", endpoint, "--timeout", "20000",
                "--curve-server-key", serverPublic, "--curve-public-key", clientPublic, "--curve-secret-key", clientSecret,
                stdin = "secret hello\n",
            ),
        )
        req.err shouldBe ""
        req.out shouldBe "secret hello\n"
        awaitZkt(echo).exitCode shouldBe 0
    }

    test("catPushReachesPlainPullWithUsersFromAFileAndAWrongPasswordGetsNothingThrough") {
        val users = Files.createTempFile("zkt-users", ".txt")
        Files.writeString(users, "admin=secret\n")
        val endpoint = "tcp://127.0.0.1:${Ports.freeTcpPort()}"
        val pull = zktAsync("cat", "-t", "pull", "-b", endpoint, "-n", "1", "--timeout", "20000", "--plain-server", "--plain-users", users.toString())
        val wrong = awaitZkt(
            zktAsync("cat", "-t", "push", "-c", endpoint, "--plain-username", "admin", "--plain-password", "nope", "--linger", "500", stdin = "intruder\n"),
        )
        wrong.exitCode shouldBe 0 // PUSH queues and gives up after its linger; nothing reached the server
        awaitZkt(zktAsync("cat", "-t", "push", "-c", endpoint, "--plain-username", "admin", "--plain-password", "secret", stdin = "friend\n")).exitCode shouldBe 0
        val received = awaitZkt(pull)
        received.exitCode shouldBe 0
        received.out shouldBe "friend\n"
    }

    test("incompleteSecurityOptionsAreUsageErrors") {
        zkt("cat", "-t", "pull", "-b", "tcp://127.0.0.1:*", "--plain-server").let {
            it.exitCode shouldBe 2
            it.err shouldContain "--plain-server needs --plain-users FILE"
        }
        zkt("cat", "-t", "pull", "-b", "tcp://127.0.0.1:*", "--curve-server").err shouldContain "--curve-server needs --curve-secret-key"
        zkt("cat", "-t", "push", "-c", "tcp://127.0.0.1:1", "--curve-server-key", "x".repeat(40), "--curve-public-key", "y", "--curve-secret-key", "z")
            .err shouldContain "must be 40 Z85 characters"
        zkt("cat", "-t", "push", "-c", "tcp://127.0.0.1:1", "--plain-username", "u").err shouldContain "--plain-username and --plain-password go together"
    }
})
