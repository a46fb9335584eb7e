package io.zerokt.security.internal

import org.bouncycastle.math.ec.rfc7748.X25519
import java.security.SecureRandom

/**
 * The NaCl primitives CurveZMQ is defined with (RFC 26), on Bouncy Castle:
 * - `crypto_box_keypair`: X25519 ([keyPair]);
 * - `crypto_box_beforenm`: HSalsa20 of the X25519 shared point ([beforenm]);
 * - `crypto_secretbox` / `crypto_box_afternm`: XSalsa20 with a 24-byte nonce; the first 32 keystream bytes key a
 *   one-time Poly1305 over the ciphertext ([seal], [open], written in [SecretBox]: Bouncy Castle's engine setup is
 *   too slow per message).
 *
 * The boxes here are NaCl's without the zero padding: a 16-byte tag followed by the ciphertext, exactly the bytes
 * libzmq puts on the wire.
 */
internal object NaCl {
    const val KEY_BYTES: Int = 32
    const val NONCE_BYTES: Int = 24
    const val TAG_BYTES: Int = 16

    val random: SecureRandom = SecureRandom()

    /** A fresh X25519 key pair as (public, secret). */
    fun keyPair(): Pair<ByteArray, ByteArray> {
        val secret = ByteArray(KEY_BYTES)
        X25519.generatePrivateKey(random, secret)
        return publicKeyOf(secret) to secret
    }

    /** The public key of an X25519 [secret] key. */
    fun publicKeyOf(secret: ByteArray): ByteArray {
        require(secret.size == KEY_BYTES) { "a secret key is 32 bytes, got ${secret.size}" }
        val pub = ByteArray(KEY_BYTES)
        X25519.scalarMultBase(secret, 0, pub, 0)
        return pub
    }

    /** `crypto_box_beforenm(pk, sk)`: the symmetric key two peers share. */
    fun beforenm(publicKey: ByteArray, secretKey: ByteArray): ByteArray {
        val shared = ByteArray(KEY_BYTES)
        X25519.scalarMult(secretKey, 0, publicKey, 0, shared, 0)
        val key = ByteArray(KEY_BYTES)
        HSalsa20.derive(key, shared, ByteArray(16))
        shared.fill(0)
        return key
    }

    /**
     * Seals `msg[off until off + len]` with [key] and [nonce] (24 bytes) into `out[outOff ..]`: 16-byte tag then the
     * ciphertext, [TAG_BYTES] + len bytes in all. [out] may not overlap the message.
     */
    fun seal(out: ByteArray, outOff: Int, msg: ByteArray, off: Int, len: Int, nonce: ByteArray, key: ByteArray) {
        System.arraycopy(msg, off, out, outOff + TAG_BYTES, len)
        SecretBox().seal(key, nonce, out, outOff + TAG_BYTES, len, out, outOff)
    }

    /**
     * Opens the box `box[off until off + len]` (tag then ciphertext) with [key] and [nonce]; returns the clear bytes,
     * or null when the tag does not match (tampered, wrong key, wrong nonce) or the box is shorter than a tag.
     */
    fun open(box: ByteArray, off: Int, len: Int, nonce: ByteArray, key: ByteArray): ByteArray? {
        if (len < TAG_BYTES) return null
        val clear = ByteArray(len - TAG_BYTES)
        return if (SecretBox().open(key, nonce, box, off, off + TAG_BYTES, len - TAG_BYTES, clear, 0)) clear else null
    }

    /** A nonce of [prefix] (ASCII, 8 or 16 bytes) followed by `tail[tailOff until tailOff + 24 - prefix.size]`. */
    fun nonce(prefix: ByteArray, tail: ByteArray, tailOff: Int = 0): ByteArray {
        val n = ByteArray(NONCE_BYTES)
        System.arraycopy(prefix, 0, n, 0, prefix.size)
        System.arraycopy(tail, tailOff, n, prefix.size, NONCE_BYTES - prefix.size)
        return n
    }

    /** A nonce of [prefix] (16 bytes) followed by [counter] as 8 bytes, big-endian (CurveZMQ's short nonces). */
    fun nonce(prefix: ByteArray, counter: Long): ByteArray {
        val n = ByteArray(NONCE_BYTES)
        System.arraycopy(prefix, 0, n, 0, 16)
        for (i in 0 until 8) n[16 + i] = (counter ushr (56 - 8 * i)).toByte()
        return n
    }
}
