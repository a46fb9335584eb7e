package io.zerokt.security

/**
 * Z85 (RFC 32, "ZeroMQ Base-85 Encoding"): 4 bytes become 5 printable characters, big-endian, with an alphabet that
 * is safe in source code and config files. CURVE keys are 32 bytes, so 40 characters (libzmq's `zmq_z85_encode`).
 */
public object Z85 {
    private const val ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%\$#"

    private val DECODE = IntArray(128) { -1 }.also { t -> ALPHABET.forEachIndexed { i, c -> t[c.code] = i } }

    /**
     * Encodes [data], whose size must be a multiple of 4.
     *
     * @throws IllegalArgumentException when it is not.
     */
    public fun encode(data: ByteArray): String {
        require(data.size % 4 == 0) { "Z85 encodes a multiple of 4 bytes, got ${data.size}" }
        val out = StringBuilder(data.size / 4 * 5)
        val chunk = CharArray(5)
        var i = 0
        while (i < data.size) {
            var value = 0L
            for (k in 0 until 4) value = (value shl 8) or (data[i + k].toLong() and 0xFF)
            for (k in 4 downTo 0) {
                chunk[k] = ALPHABET[(value % 85).toInt()]
                value /= 85
            }
            out.append(chunk)
            i += 4
        }
        return out.toString()
    }

    /**
     * Decodes [text], whose length must be a multiple of 5, made only of Z85 characters.
     *
     * @throws IllegalArgumentException for a bad length, a character outside the alphabet or a group above 2^32-1
     *   (the message never quotes the text: it may be a secret key).
     */
    public fun decode(text: String): ByteArray {
        require(text.length % 5 == 0) { "Z85 text length must be a multiple of 5, got ${text.length}" }
        val out = ByteArray(text.length / 5 * 4)
        var o = 0
        var i = 0
        while (i < text.length) {
            var value = 0L
            for (k in 0 until 5) {
                val c = text[i + k].code
                val d = if (c < 128) DECODE[c] else -1
                require(d >= 0) { "character at position ${i + k} is not in the Z85 alphabet" }
                value = value * 85 + d
            }
            require(value <= 0xFFFFFFFFL) { "Z85 group at position $i exceeds 32 bits" }
            for (k in 3 downTo 0) {
                out[o + k] = value.toByte()
                value = value ushr 8
            }
            o += 4
            i += 5
        }
        return out
    }
}
