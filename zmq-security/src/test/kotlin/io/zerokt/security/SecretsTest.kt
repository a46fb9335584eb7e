package io.zerokt.security

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.string.shouldNotContain
import io.zerokt.Context
import io.zerokt.SocketType
import io.zerokt.engine.spi.SecurityOptions
import io.zerokt.engine.spi.ZapRequest
import io.zerokt.security.internal.CurveProvider

/** Secrets never show in `toString()` or in the messages of exceptions about them. */
class SecretsTest : FunSpec({
    val keys = CurveKeyPair.generate()

    test("key pairs, certificates, options, ZAP requests and the authenticator never print a secret") {
        keys.toString() shouldNotContain keys.secretKeyZ85
        Certificate.of(keys).toString() shouldNotContain keys.secretKeyZ85
        val options = SecurityOptions("CURVE", true, "user".encodeToByteArray(), "hunter2".encodeToByteArray(), keys.publicKey, keys.secretKey, null)
        options.toString() shouldNotContain "hunter2"
        options.toString() shouldNotContain keys.secretKeyZ85
        ZapRequest("PLAIN", listOf("user".encodeToByteArray(), "hunter2".encodeToByteArray())).toString() shouldNotContain "hunter2"
        Context().use { ctx ->
            ZapAuthenticator(ctx).plainUsers("user" to "hunter2").use { it.toString() shouldNotContain "hunter2" }
            ctx.socket(SocketType.REQ).use { s ->
                s.plainUsername = "user"
                s.plainPassword = "hunter2"
                s.curveSecretKey = keys.secretKey
                s.toString() shouldNotContain "hunter2"
            }
        }
    }

    test("a malformed key is refused without quoting it") {
        val bad = keys.secretKeyZ85.dropLast(1) + "~"
        val e = runCatching { CurveProvider().decodeKey(49, bad.encodeToByteArray()) }.exceptionOrNull()!!
        e.message!! shouldNotContain bad.take(39)
        val e2 = runCatching { CurveProvider().decodeKey(49, ByteArray(31)) }.exceptionOrNull()!!
        e2.message!! shouldNotContain "[0, 0"
    }
})
