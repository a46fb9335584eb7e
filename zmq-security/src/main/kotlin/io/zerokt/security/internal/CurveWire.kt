package io.zerokt.security.internal

/**
 * CurveZMQ's command names and nonce prefixes (RFC 26) and the ZMTP-CURVE command sizes (RFC 25).
 *
 * ```
 * HELLO    = %x05 "HELLO" version(%x1 %x0) padding(72) C'(32) nonce(8) box[64 * %x0](C'->S)(80)
 * WELCOME  = %x07 "WELCOME" nonce(16) box[S' + cookie](S->C')(144)
 *   cookie = nonce(16) box[C' + s'](K)(80)
 * INITIATE = %x08 "INITIATE" cookie(96) nonce(8) box[C + vouch + metadata](C'->S')
 *   vouch  = nonce(16) box[C' + S](C->S')(80)
 * READY    = %x05 "READY" nonce(8) box[metadata](S'->C')
 * MESSAGE  = %x07 "MESSAGE" nonce(8) box[flags(1) + payload](C'<->S')   flags: bit 0 MORE, bit 1 COMMAND
 * ```
 *
 * Long nonces (16 random bytes) follow an 8-byte prefix; short nonces (8-byte counters, big-endian, strictly
 * increasing per direction) follow a 16-byte prefix.
 */
internal object CurveWire {
    val HELLO = ascii("HELLO")
    val WELCOME = ascii("WELCOME")
    val INITIATE = ascii("INITIATE")
    val READY = ascii("READY")
    val MESSAGE_BODY_START = byteArrayOf(7) + ascii("MESSAGE")

    val HELLO_PREFIX = ascii("CurveZMQHELLO---")
    val WELCOME_PREFIX = ascii("WELCOME-")
    val COOKIE_PREFIX = ascii("COOKIE--")
    val INITIATE_PREFIX = ascii("CurveZMQINITIATE")
    val VOUCH_PREFIX = ascii("VOUCH---")
    val READY_PREFIX = ascii("CurveZMQREADY---")
    val MESSAGE_FROM_CLIENT = ascii("CurveZMQMESSAGEC")
    val MESSAGE_FROM_SERVER = ascii("CurveZMQMESSAGES")

    /** HELLO's data after the name: version 2 + padding 72 + C' 32 + nonce 8 + box 80. */
    const val HELLO_DATA = 194

    /** WELCOME's data: nonce 16 + box 144. */
    const val WELCOME_DATA = 160

    /** A cookie: nonce 16 + box 80. */
    const val COOKIE = 96

    /** A vouch: nonce 16 + box 80. */
    const val VOUCH = 96

    /** INITIATE's smallest data: cookie 96 + nonce 8 + box (16 + C 32 + vouch 96). */
    const val INITIATE_MIN_DATA = 96 + 8 + 16 + 32 + 96

    /** READY's smallest data: nonce 8 + tag 16. */
    const val READY_MIN_DATA = 8 + 16

    /** MESSAGE overhead in a wire body: name 8 + nonce 8 + tag 16 + flags 1. */
    const val MESSAGE_OVERHEAD = 33

    fun readLong(b: ByteArray, p: Int): Long {
        var v = 0L
        for (i in 0 until 8) v = (v shl 8) or (b[p + i].toLong() and 0xFF)
        return v
    }

    private fun ascii(s: String) = s.toByteArray(Charsets.US_ASCII)
}
