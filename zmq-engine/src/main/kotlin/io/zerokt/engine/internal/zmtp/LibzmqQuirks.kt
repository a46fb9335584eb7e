package io.zerokt.engine.internal.zmtp

/**
 * Bugs of deployed peers that the codec tolerates so that it still interoperates with them.
 *
 * libzmq 4.3.x's PLAIN server writes its ERROR command from the C literal `"\x05ERROR"`, in which the hex escape
 * swallows the `E`: the body is `0x5E 'R' 'R' 'O' 'R'` then the reason length and reason (checked against Debian's
 * libzmq 4.3.4). Its name-length octet (94) is larger than the body, so it is not a valid command at all. Read
 * during the handshake, it is taken for the ERROR it means.
 */
internal object LibzmqQuirks {
    private val BROKEN_ERROR = byteArrayOf(0x5E, 'R'.code.toByte(), 'R'.code.toByte(), 'O'.code.toByte(), 'R'.code.toByte())

    /** The reason of libzmq 4.3's malformed PLAIN ERROR in [body], or null when [body] is not one. */
    fun brokenErrorReason(body: ByteArray): String? {
        if (body.size < BROKEN_ERROR.size + 1) return null
        for (i in BROKEN_ERROR.indices) if (body[i] != BROKEN_ERROR[i]) return null
        val n = body[BROKEN_ERROR.size].toInt() and 0xFF
        if (n != body.size - BROKEN_ERROR.size - 1) return null
        return String(body, BROKEN_ERROR.size + 1, n, Charsets.ISO_8859_1)
    }
}
