package io.zerokt.security.internal

/**
 * HSalsa20 (NaCl's `crypto_core_hsalsa20`), which Bouncy Castle does not expose: the Salsa20 core's 20 rounds over
 * the sigma constants, a 32-byte key and a 16-byte input, keeping words 0, 5, 10, 15, 6, 7, 8, 9 without the final
 * addition. `crypto_box_beforenm` is HSalsa20(X25519(sk, pk), 16 zero bytes).
 */
internal object HSalsa20 {
    private val SIGMA = intArrayOf(0x61707865, 0x3320646e, 0x79622d32, 0x6b206574)

    /** Derives 32 bytes into [out] from [key] (32 bytes) and `input[inOff until inOff + 16]`. */
    fun derive(out: ByteArray, key: ByteArray, input: ByteArray, inOff: Int = 0) {
        val x = IntArray(16)
        x[0] = SIGMA[0]; x[5] = SIGMA[1]; x[10] = SIGMA[2]; x[15] = SIGMA[3]
        for (i in 0 until 4) {
            x[1 + i] = le32(key, 4 * i)
            x[11 + i] = le32(key, 16 + 4 * i)
            x[6 + i] = le32(input, inOff + 4 * i)
        }
        repeat(10) {
            quarter(x, 0, 4, 8, 12); quarter(x, 5, 9, 13, 1); quarter(x, 10, 14, 2, 6); quarter(x, 15, 3, 7, 11)
            quarter(x, 0, 1, 2, 3); quarter(x, 5, 6, 7, 4); quarter(x, 10, 11, 8, 9); quarter(x, 15, 12, 13, 14)
        }
        val words = intArrayOf(x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9])
        for (i in 0 until 8) put32(out, 4 * i, words[i])
    }

    /** One Salsa20 quarter-round on `x[a], x[b], x[c], x[d]` (the column/row order is the caller's). */
    private fun quarter(x: IntArray, a: Int, b: Int, c: Int, d: Int) {
        x[b] = x[b] xor Integer.rotateLeft(x[a] + x[d], 7)
        x[c] = x[c] xor Integer.rotateLeft(x[b] + x[a], 9)
        x[d] = x[d] xor Integer.rotateLeft(x[c] + x[b], 13)
        x[a] = x[a] xor Integer.rotateLeft(x[d] + x[c], 18)
    }

    private fun le32(b: ByteArray, p: Int): Int =
        (b[p].toInt() and 0xFF) or ((b[p + 1].toInt() and 0xFF) shl 8) or ((b[p + 2].toInt() and 0xFF) shl 16) or (b[p + 3].toInt() shl 24)

    private fun put32(b: ByteArray, p: Int, v: Int) {
        b[p] = v.toByte(); b[p + 1] = (v ushr 8).toByte(); b[p + 2] = (v ushr 16).toByte(); b[p + 3] = (v ushr 24).toByte()
    }
}
