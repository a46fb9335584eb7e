package io.zerokt.security.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * The NaCl primitives against NaCl's published test vectors (`tests/box.c`, `tests/core1.c`: Alice's secret key,
 * Bob's public key, the nonce `69696ee9...` and the 131-byte message), which are RFC 7748's X25519 keys.
 */
class NaClTest : FunSpec({
    fun hex(s: String): ByteArray = s.replace(" ", "").chunked(2).map { it.toInt(16).toByte() }.toByteArray()

    val aliceSecret = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    val alicePublic = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
    val bobSecret = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
    val bobPublic = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
    val firstKey = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389")
    val nonce = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37")
    val message = hex(
        "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f4" +
            "1db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52" +
            "f0a089bc76897040e082f937763848645e0705",
    )
    val box = hex(
        "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b" +
            "4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da" +
            "99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5",
    )

    test("public keys derive from secret keys as X25519 says") {
        NaCl.publicKeyOf(aliceSecret) shouldBe alicePublic
        NaCl.publicKeyOf(bobSecret) shouldBe bobPublic
    }

    test("HSalsa20 of the shared point gives NaCl's firstkey (crypto_box_beforenm), the same from both sides") {
        NaCl.beforenm(bobPublic, aliceSecret) shouldBe firstKey
        NaCl.beforenm(alicePublic, bobSecret) shouldBe firstKey
    }

    test("sealing NaCl's message gives NaCl's box, and opening it gives the message back") {
        val out = ByteArray(16 + message.size)
        NaCl.seal(out, 0, message, 0, message.size, nonce, firstKey)
        out shouldBe box
        NaCl.open(box, 0, box.size, nonce, firstKey) shouldBe message
    }

    test("a box with one flipped bit, a wrong nonce or a truncated tag does not open") {
        for (i in listOf(0, 15, 16, box.size - 1)) {
            val bad = box.copyOf()
            bad[i] = (bad[i].toInt() xor 1).toByte()
            NaCl.open(bad, 0, bad.size, nonce, firstKey) shouldBe null
        }
        NaCl.open(box, 0, box.size, nonce.copyOf().also { it[23] = 0 }, firstKey) shouldBe null
        NaCl.open(box, 0, 15, nonce, firstKey) shouldBe null
    }
})
