package io.zerokt.security

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files

/** The zcert text format: round trips, keys containing `#` (a Z85 character), public-only files. */
class CertificateTest : FunSpec({
    test("a saved certificate loads back with its keys and metadata, the public file without the secret") {
        val dir = Files.createTempDirectory("zkt-cert")
        val cert = Certificate.generate(mapOf("name" to "server", "email" to "ops@example.com"))
        cert.save(dir.resolve("server"))
        val secret = Certificate.load(dir.resolve("server_secret"))
        secret.keyPair.secretKeyZ85 shouldBe cert.keyPair.secretKeyZ85
        secret.metadata shouldBe mapOf("name" to "server", "email" to "ops@example.com")
        val public = Certificate.load(dir.resolve("server"))
        public.hasSecretKey shouldBe false
        public.publicKeyZ85 shouldBe cert.publicKeyZ85
        Files.readString(dir.resolve("server")).contains(cert.keyPair.secretKeyZ85) shouldBe false
    }

    test("keys with '#' in their Z85 text are read whole, while whole-line comments are skipped") {
        val keys = generateSequence { CurveKeyPair.generate() }.first { '#' in it.publicKeyZ85 && '#' in it.secretKeyZ85 }
        val text = listOf(
            "#   ZeroMQ CURVE **Secret** Certificate",
            "",
            "metadata",
            "    # a comment inside a section",
            "curve",
            "    public-key = \"${keys.publicKeyZ85}\"",
            "    secret-key = \"${keys.secretKeyZ85}\"",
        )
        val cert = Certificate.parse(text)
        cert.publicKeyZ85 shouldBe keys.publicKeyZ85
        cert.keyPair.secretKeyZ85 shouldBe keys.secretKeyZ85
    }
})
