package io.zerokt.testing

import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.config.DefaultTestConfig
import io.kotest.matchers.shouldBe
import kotlin.time.Duration.Companion.seconds

/** The byte builders against the worked example of RFC 23 ("Worked Example") and the frame grammar. */
class ZmtpTest : FunSpec({
    defaultTestConfig = DefaultTestConfig(timeout = 20.seconds)

    fun hex(b: ByteArray) = b.joinToString("") { "%02x".format(it) }

    test("greeting: signature, version, mechanism, as-server, filler") {
        val g = Zmtp.greeting()
        g.size shouldBe 64
        hex(g.copyOfRange(0, 12)) shouldBe "ff00000000000000007f0301"
        g.copyOfRange(12, 16).decodeToString() shouldBe "NULL"
        g.copyOfRange(16, 64).all { it == 0.toByte() } shouldBe true
        val p = ZmtpGreeting(Zmtp.greeting(3, 0, "PLAIN", asServer = true))
        p.hasValidSignature shouldBe true
        p.major shouldBe 3
        p.minor shouldBe 0
        p.mechanism shouldBe "PLAIN"
        p.asServer shouldBe true
    }

    test("READY for a DEALER with an empty Identity is the RFC's 41-octet command") {
        val r = Zmtp.readyCommand("DEALER", ByteArray(0))
        hex(r.copyOfRange(0, 2)) shouldBe "0429"
        r.size shouldBe 2 + 41
        hex(r.copyOfRange(2, 8)) shouldBe "05" + hex("READY".encodeToByteArray())
        hex(r.copyOfRange(8, 30)) shouldBe "0b" + hex("Socket-Type".encodeToByteArray()) + "00000006" + hex("DEALER".encodeToByteArray())
        hex(r.copyOfRange(30, 43)) shouldBe "08" + hex("Identity".encodeToByteArray()) + "00000000"
    }

    test("READY for a ROUTER without Identity is the RFC's 28-octet command") {
        val r = Zmtp.readyCommand("ROUTER")
        hex(r.copyOfRange(0, 2)) shouldBe "041c"
        r.size shouldBe 30
    }

    test("frames: short and long sizes, MORE and COMMAND flags") {
        hex(Zmtp.frame(byteArrayOf(1, 2, 3))) shouldBe "0003010203"
        hex(Zmtp.frame(ByteArray(0), more = true)) shouldBe "0100"
        val long = Zmtp.frame(ByteArray(256), more = true)
        hex(long.copyOfRange(0, 9)) shouldBe "03" + "0000000000000100"
        long.size shouldBe 9 + 256
        hex(Zmtp.frame(ByteArray(1), forceLong = true).copyOfRange(0, 9)) shouldBe "02" + "0000000000000001"
        hex(Zmtp.command("PING", byteArrayOf(0, 10))) shouldBe "0407" + "04" + hex("PING".encodeToByteArray()) + "000a"
        hex(Zmtp.pingCommand(10)) shouldBe "0407" + "04" + hex("PING".encodeToByteArray()) + "000a"
        hex(Zmtp.frameHeader(Zmtp.FLAG_LONG, 1L shl 40)) shouldBe "02" + "0000010000000000"
        hex(Zmtp.message(listOf(byteArrayOf(7), byteArrayOf()))) shouldBe "010107" + "0000"
    }

    test("metadata round-trips and parsed frames expose command names") {
        val md = mapOf("Socket-Type" to "PUB", "X-Custom" to "v").mapValues { it.value.encodeToByteArray() }
        Zmtp.parseMetadata(Zmtp.metadata(md.toList())).mapValues { it.value.decodeToString() } shouldBe
            mapOf("Socket-Type" to "PUB", "X-Custom" to "v")
        val ready = Zmtp.readyCommand("SUB")
        val f = ZmtpFrame(ready[0].toInt(), ready.copyOfRange(2, ready.size))
        f.isCommand shouldBe true
        f.commandName shouldBe "READY"
        f.metadata!!["Socket-Type"]!!.decodeToString() shouldBe "SUB"
    }
})
