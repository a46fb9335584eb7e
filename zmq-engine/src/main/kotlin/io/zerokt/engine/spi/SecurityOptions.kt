package io.zerokt.engine.spi

/**
 * A snapshot of a socket's security options when a connection is made (libzmq's `ZMQ_MECHANISM`, `ZMQ_PLAIN_*`,
 * `ZMQ_CURVE_*`, `ZMQ_ZAP_*`). [toString] never shows passwords or secret keys.
 */
@ZeroKtInternalApi
public class SecurityOptions(
    /** `"NULL"`, `"PLAIN"` or `"CURVE"`: the last mechanism option set decides it, as in libzmq. */
    public val mechanism: String,
    /** True when this socket is the mechanism's server (PLAIN_SERVER, CURVE_SERVER). */
    public val asServer: Boolean,
    /** `ZMQ_PLAIN_USERNAME`. */
    public val plainUsername: ByteArray = ByteArray(0),
    /** `ZMQ_PLAIN_PASSWORD`. */
    public val plainPassword: ByteArray = ByteArray(0),
    /** `ZMQ_CURVE_PUBLICKEY`: 32 bytes, or null. */
    public val curvePublicKey: ByteArray? = null,
    /** `ZMQ_CURVE_SECRETKEY`: 32 bytes, or null. */
    public val curveSecretKey: ByteArray? = null,
    /** `ZMQ_CURVE_SERVERKEY`: 32 bytes, or null. */
    public val curveServerKey: ByteArray? = null,
    /** `ZMQ_ZAP_DOMAIN`. */
    public val zapDomain: ByteArray = ByteArray(0),
    /** `ZMQ_ZAP_ENFORCE_DOMAIN`: fail handshakes when no ZAP handler answers. */
    public val zapEnforceDomain: Boolean = false,
) {
    override fun toString(): String = "SecurityOptions($mechanism, asServer=$asServer)"
}

/**
 * Provides a security mechanism the engine does not have itself (CURVE, from `zmq-security`), found with
 * [java.util.ServiceLoader]: list the class in `META-INF/services/io.zerokt.engine.spi.MechanismProvider`.
 */
@ZeroKtInternalApi
public interface MechanismProvider {
    /** The mechanism's greeting name, e.g. `"CURVE"`. */
    public val name: String

    /** Checks a key option's value and returns the 32 raw bytes it stands for (e.g. 40 Z85 characters), or throws. */
    public fun decodeKey(option: Int, value: ByteArray): ByteArray

    /** A factory for one connection with these [options]; throws IllegalArgumentException for missing keys. */
    public fun factory(options: SecurityOptions): MechanismFactory
}
