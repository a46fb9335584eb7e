package io.zerokt.security

import io.zerokt.security.internal.NaCl

/**
 * A CURVE long-term key pair (X25519, 32-byte keys), as libzmq's `zmq_curve_keypair` makes.
 *
 * [toString] shows the public key only; the secret key never appears in logs or exceptions.
 */
public class CurveKeyPair(publicKey: ByteArray, secretKey: ByteArray) {
    init {
        require(publicKey.size == 32) { "a CURVE public key is 32 bytes, got ${publicKey.size}" }
        require(secretKey.size == 32) { "a CURVE secret key is 32 bytes, got ${secretKey.size}" }
    }

    private val pub = publicKey.copyOf()
    private val sec = secretKey.copyOf()

    /** The public key (a copy). */
    public val publicKey: ByteArray get() = pub.copyOf()

    /** The secret key (a copy). */
    public val secretKey: ByteArray get() = sec.copyOf()

    /** The public key as 40 Z85 characters. */
    public val publicKeyZ85: String get() = Z85.encode(pub)

    /** The secret key as 40 Z85 characters. */
    public val secretKeyZ85: String get() = Z85.encode(sec)

    override fun toString(): String = "CurveKeyPair(public=$publicKeyZ85)"

    public companion object {
        /** A fresh key pair from a `SecureRandom` (`zmq_curve_keypair`). */
        @JvmStatic
        public fun generate(): CurveKeyPair = NaCl.keyPair().let { (p, s) -> CurveKeyPair(p, s) }

        /** The pair of a secret key, its public key derived (`zmq_curve_public`); [secretKey] is 32 bytes or Z85. */
        @JvmStatic
        public fun fromSecretKey(secretKey: ByteArray): CurveKeyPair = CurveKeyPair(NaCl.publicKeyOf(secretKey), secretKey)

        /** The pair of a Z85 secret key. */
        @JvmStatic
        public fun fromSecretKey(secretKeyZ85: String): CurveKeyPair = fromSecretKey(Z85.decode(secretKeyZ85))
    }
}
