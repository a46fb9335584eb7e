package io.zerokt.security.internal

/**
 * NaCl's `crypto_secretbox` (XSalsa20 + Poly1305) written for CurveZMQ's hot path: one instance per direction
 * reuses its scratch arrays, so sealing or opening a MESSAGE allocates nothing. (Bouncy Castle's
 * `XSalsa20Engine.init` costs microseconds per call, more than the encryption of a small message itself.)
 *
 * XSalsa20: subkey = HSalsa20(key, nonce[0..16]); keystream = Salsa20(subkey, nonce[16..24], block counter from 0).
 * The first 32 keystream bytes key a one-time Poly1305 (RFC 8439 §2.5's algorithm, 26-bit limbs) over the
 * ciphertext; the message is XORed with the keystream from byte 32 on. Not thread-safe.
 */
internal class SecretBox {
    private val subkey = ByteArray(32)
    private val input = IntArray(16)
    private val x = IntArray(16)
    private val block = ByteArray(64)
    private val polyKey = ByteArray(32)
    private val tag = ByteArray(16)

    /** Encrypts `buf[off until off + len]` in place and writes the 16-byte tag at `tagOut[tagOff ..]`. */
    fun seal(key: ByteArray, nonce: ByteArray, buf: ByteArray, off: Int, len: Int, tagOut: ByteArray, tagOff: Int) {
        setUp(key, nonce)
        xorStream(buf, off, len, buf, off)
        Poly1305.mac(polyKey, buf, off, len, tagOut, tagOff)
    }

    /**
     * Checks the tag at `box[tagOff ..]` over the ciphertext `box[off until off + len]` and, when it matches,
     * decrypts the ciphertext into `out[outOff ..]` and returns true; returns false (writing nothing) otherwise.
     */
    fun open(key: ByteArray, nonce: ByteArray, box: ByteArray, tagOff: Int, off: Int, len: Int, out: ByteArray, outOff: Int): Boolean {
        setUp(key, nonce)
        Poly1305.mac(polyKey, box, off, len, tag, 0)
        var diff = 0
        for (i in 0 until 16) diff = diff or (tag[i].toInt() xor box[tagOff + i].toInt())
        if (diff != 0) return false
        xorStream(box, off, len, out, outOff)
        return true
    }

    /** Derives the subkey, loads the Salsa20 state and takes the Poly1305 key from keystream block 0. */
    private fun setUp(key: ByteArray, nonce: ByteArray) {
        HSalsa20.derive(subkey, key, nonce, 0)
        val s = input
        s[0] = SIGMA0; s[5] = SIGMA1; s[10] = SIGMA2; s[15] = SIGMA3
        for (i in 0 until 4) {
            s[1 + i] = le32(subkey, 4 * i)
            s[11 + i] = le32(subkey, 16 + 4 * i)
        }
        s[6] = le32(nonce, 16)
        s[7] = le32(nonce, 20)
        s[8] = 0
        s[9] = 0
        nextBlock()
        System.arraycopy(block, 0, polyKey, 0, 32)
    }

    /** XORs `len` bytes from `src[srcOff ..]` with the keystream from byte 32 of block 0 on into `dst[dstOff ..]`. */
    private fun xorStream(src: ByteArray, srcOff: Int, len: Int, dst: ByteArray, dstOff: Int) {
        var done = 0
        var pos = 32
        while (done < len) {
            if (pos == 64) {
                nextBlock()
                pos = 0
            }
            val n = minOf(64 - pos, len - done)
            for (i in 0 until n) dst[dstOff + done + i] = (src[srcOff + done + i].toInt() xor block[pos + i].toInt()).toByte()
            done += n
            pos += n
        }
    }

    /** Writes the keystream block at the current counter into [block] and advances the counter. */
    private fun nextBlock() {
        val s = input
        System.arraycopy(s, 0, x, 0, 16)
        salsaRounds(x)
        for (i in 0 until 16) {
            val v = x[i] + s[i]
            val p = 4 * i
            block[p] = v.toByte(); block[p + 1] = (v ushr 8).toByte(); block[p + 2] = (v ushr 16).toByte(); block[p + 3] = (v ushr 24).toByte()
        }
        s[8]++
        if (s[8] == 0) s[9]++
    }

    companion object {
        private const val SIGMA0 = 0x61707865
        private const val SIGMA1 = 0x3320646e
        private const val SIGMA2 = 0x79622d32
        private const val SIGMA3 = 0x6b206574

        /** Salsa20's 20 rounds (10 double rounds) on [x], in place. */
        fun salsaRounds(x: IntArray) {
            var x0 = x[0]; var x1 = x[1]; var x2 = x[2]; var x3 = x[3]; var x4 = x[4]; var x5 = x[5]; var x6 = x[6]; var x7 = x[7]
            var x8 = x[8]; var x9 = x[9]; var x10 = x[10]; var x11 = x[11]; var x12 = x[12]; var x13 = x[13]; var x14 = x[14]; var x15 = x[15]
            repeat(10) {
                x4 = x4 xor Integer.rotateLeft(x0 + x12, 7); x8 = x8 xor Integer.rotateLeft(x4 + x0, 9)
                x12 = x12 xor Integer.rotateLeft(x8 + x4, 13); x0 = x0 xor Integer.rotateLeft(x12 + x8, 18)
                x9 = x9 xor Integer.rotateLeft(x5 + x1, 7); x13 = x13 xor Integer.rotateLeft(x9 + x5, 9)
                x1 = x1 xor Integer.rotateLeft(x13 + x9, 13); x5 = x5 xor Integer.rotateLeft(x1 + x13, 18)
                x14 = x14 xor Integer.rotateLeft(x10 + x6, 7); x2 = x2 xor Integer.rotateLeft(x14 + x10, 9)
                x6 = x6 xor Integer.rotateLeft(x2 + x14, 13); x10 = x10 xor Integer.rotateLeft(x6 + x2, 18)
                x3 = x3 xor Integer.rotateLeft(x15 + x11, 7); x7 = x7 xor Integer.rotateLeft(x3 + x15, 9)
                x11 = x11 xor Integer.rotateLeft(x7 + x3, 13); x15 = x15 xor Integer.rotateLeft(x11 + x7, 18)
                x1 = x1 xor Integer.rotateLeft(x0 + x3, 7); x2 = x2 xor Integer.rotateLeft(x1 + x0, 9)
                x3 = x3 xor Integer.rotateLeft(x2 + x1, 13); x0 = x0 xor Integer.rotateLeft(x3 + x2, 18)
                x6 = x6 xor Integer.rotateLeft(x5 + x4, 7); x7 = x7 xor Integer.rotateLeft(x6 + x5, 9)
                x4 = x4 xor Integer.rotateLeft(x7 + x6, 13); x5 = x5 xor Integer.rotateLeft(x4 + x7, 18)
                x11 = x11 xor Integer.rotateLeft(x10 + x9, 7); x8 = x8 xor Integer.rotateLeft(x11 + x10, 9)
                x9 = x9 xor Integer.rotateLeft(x8 + x11, 13); x10 = x10 xor Integer.rotateLeft(x9 + x8, 18)
                x12 = x12 xor Integer.rotateLeft(x15 + x14, 7); x13 = x13 xor Integer.rotateLeft(x12 + x15, 9)
                x14 = x14 xor Integer.rotateLeft(x13 + x12, 13); x15 = x15 xor Integer.rotateLeft(x14 + x13, 18)
            }
            x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3; x[4] = x4; x[5] = x5; x[6] = x6; x[7] = x7
            x[8] = x8; x[9] = x9; x[10] = x10; x[11] = x11; x[12] = x12; x[13] = x13; x[14] = x14; x[15] = x15
        }

        fun le32(b: ByteArray, p: Int): Int =
            (b[p].toInt() and 0xFF) or ((b[p + 1].toInt() and 0xFF) shl 8) or ((b[p + 2].toInt() and 0xFF) shl 16) or (b[p + 3].toInt() shl 24)
    }
}

/** One-time Poly1305 (26-bit limbs in longs, as poly1305-donna's 32-bit version). */
internal object Poly1305 {
    private const val M = 0x3ffffffL

    /** Writes the 16-byte Poly1305 tag of `msg[off until off + len]` under the 32-byte one-time [key] to `out[outOff ..]`. */
    fun mac(key: ByteArray, msg: ByteArray, off: Int, len: Int, out: ByteArray, outOff: Int) {
        val r0 = u32(key, 0) and 0x3ffffffL
        val r1 = (u32(key, 3) ushr 2) and 0x3ffff03L
        val r2 = (u32(key, 6) ushr 4) and 0x3ffc0ffL
        val r3 = (u32(key, 9) ushr 6) and 0x3f03fffL
        val r4 = (u32(key, 12) ushr 8) and 0x00fffffL
        val s1 = r1 * 5; val s2 = r2 * 5; val s3 = r3 * 5; val s4 = r4 * 5
        var h0 = 0L; var h1 = 0L; var h2 = 0L; var h3 = 0L; var h4 = 0L
        var p = off
        val end = off + len
        val last = ByteArray(16)
        while (p < end) {
            val src: ByteArray
            val q: Int
            val hibit: Long
            if (end - p >= 16) {
                src = msg; q = p; hibit = 1L shl 24
                p += 16
            } else {
                val n = end - p
                last.fill(0)
                System.arraycopy(msg, p, last, 0, n)
                last[n] = 1
                src = last; q = 0; hibit = 0
                p = end
            }
            h0 += u32(src, q) and M
            h1 += (u32(src, q + 3) ushr 2) and M
            h2 += (u32(src, q + 6) ushr 4) and M
            h3 += (u32(src, q + 9) ushr 6) and M
            h4 += (u32(src, q + 12) ushr 8) or hibit
            val d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1
            var d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2
            var d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3
            var d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4
            var d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0
            var c = d0 ushr 26; h0 = d0 and M
            d1 += c; c = d1 ushr 26; h1 = d1 and M
            d2 += c; c = d2 ushr 26; h2 = d2 and M
            d3 += c; c = d3 ushr 26; h3 = d3 and M
            d4 += c; c = d4 ushr 26; h4 = d4 and M
            h0 += c * 5; c = h0 ushr 26; h0 = h0 and M
            h1 += c
        }
        var c = h1 ushr 26; h1 = h1 and M
        h2 += c; c = h2 ushr 26; h2 = h2 and M
        h3 += c; c = h3 ushr 26; h3 = h3 and M
        h4 += c; c = h4 ushr 26; h4 = h4 and M
        h0 += c * 5; c = h0 ushr 26; h0 = h0 and M
        h1 += c
        var g0 = h0 + 5; c = g0 ushr 26; g0 = g0 and M
        var g1 = h1 + c; c = g1 ushr 26; g1 = g1 and M
        var g2 = h2 + c; c = g2 ushr 26; g2 = g2 and M
        var g3 = h3 + c; c = g3 ushr 26; g3 = g3 and M
        var g4 = h4 + c - (1L shl 26)
        // g4 < 0: h < p, keep h; otherwise take g = h - p.
        var mask = (g4 ushr 63) - 1
        g0 = g0 and mask; g1 = g1 and mask; g2 = g2 and mask; g3 = g3 and mask; g4 = g4 and mask
        mask = mask.inv()
        h0 = (h0 and mask) or g0; h1 = (h1 and mask) or g1; h2 = (h2 and mask) or g2; h3 = (h3 and mask) or g3; h4 = (h4 and mask) or g4
        val w0 = (h0 or (h1 shl 26)) and 0xffffffffL
        val w1 = ((h1 ushr 6) or (h2 shl 20)) and 0xffffffffL
        val w2 = ((h2 ushr 12) or (h3 shl 14)) and 0xffffffffL
        val w3 = ((h3 ushr 18) or (h4 shl 8)) and 0xffffffffL
        var f = w0 + u32(key, 16); put32(out, outOff, f)
        f = w1 + u32(key, 20) + (f ushr 32); put32(out, outOff + 4, f)
        f = w2 + u32(key, 24) + (f ushr 32); put32(out, outOff + 8, f)
        f = w3 + u32(key, 28) + (f ushr 32); put32(out, outOff + 12, f)
    }

    private fun u32(b: ByteArray, p: Int): Long =
        (b[p].toLong() and 0xFF) or ((b[p + 1].toLong() and 0xFF) shl 8) or ((b[p + 2].toLong() and 0xFF) shl 16) or ((b[p + 3].toLong() and 0xFF) shl 24)

    private fun put32(b: ByteArray, p: Int, v: Long) {
        b[p] = v.toByte(); b[p + 1] = (v ushr 8).toByte(); b[p + 2] = (v ushr 16).toByte(); b[p + 3] = (v ushr 24).toByte()
    }
}
