package io.zerokt.engine.internal.socket

import io.zerokt.*
import io.zerokt.engine.internal.security.Mechanisms
import io.zerokt.engine.spi.SecurityOptions

/**
 * A socket's security options (libzmq's `ZMQ_PLAIN_*`, `ZMQ_CURVE_*`, `ZMQ_ZAP_ENFORCE_DOMAIN`), with libzmq's rule
 * that the last mechanism option set picks the mechanism and the role:
 * - PLAIN_SERVER 1: PLAIN server; 0: back to NULL. PLAIN_USERNAME/PASSWORD: PLAIN client (empty: back to NULL).
 * - CURVE_SERVER 1: CURVE server; 0: back to NULL. CURVE_SERVERKEY: CURVE client. CURVE_PUBLICKEY/SECRETKEY: CURVE,
 *   role unchanged.
 *
 * Secrets are never shown by [toString].
 */
internal class SecurityOptionValues {
    @Volatile var mechanism = "NULL"
    @Volatile var asServer = false
    @Volatile var plainUsername = ByteArray(0)
    @Volatile var plainPassword = ByteArray(0)
    @Volatile var curvePublicKey: ByteArray? = null
    @Volatile var curveSecretKey: ByteArray? = null
    @Volatile var curveServerKey: ByteArray? = null
    @Volatile var zapEnforceDomain = false

    /** Sets an integer security option; false when [option] is not one. */
    fun setInt(option: Int, value: Int): Boolean {
        when (option) {
            ZMQ_PLAIN_SERVER -> { asServer = flag(option, value); mechanism = if (asServer) "PLAIN" else "NULL" }
            ZMQ_CURVE_SERVER -> {
                val on = flag(option, value)
                if (on) Mechanisms.curveProvider()
                asServer = on
                mechanism = if (on) "CURVE" else "NULL"
            }
            ZMQ_ZAP_ENFORCE_DOMAIN -> zapEnforceDomain = flag(option, value)
            else -> return false
        }
        return true
    }

    /** Sets a binary security option; false when [option] is not one. */
    fun setBytes(option: Int, value: ByteArray): Boolean {
        when (option) {
            ZMQ_PLAIN_USERNAME, ZMQ_PLAIN_PASSWORD -> {
                if (value.size > 255) throw ZmqException(ZmqError.EINVAL, "socket option $option: at most 255 bytes, was ${value.size}")
                if (option == ZMQ_PLAIN_USERNAME) plainUsername = value.copyOf() else plainPassword = value.copyOf()
                asServer = false
                mechanism = if (value.isEmpty()) "NULL" else "PLAIN"
            }
            ZMQ_CURVE_PUBLICKEY, ZMQ_CURVE_SECRETKEY, ZMQ_CURVE_SERVERKEY -> {
                val key = try {
                    Mechanisms.curveProvider().decodeKey(option, value)
                } catch (e: IllegalArgumentException) {
                    throw ZmqException(ZmqError.EINVAL, "socket option $option: ${e.message}")
                }
                when (option) {
                    ZMQ_CURVE_PUBLICKEY -> curvePublicKey = key
                    ZMQ_CURVE_SECRETKEY -> curveSecretKey = key
                    else -> { curveServerKey = key; asServer = false }
                }
                mechanism = "CURVE"
            }
            else -> return false
        }
        return true
    }

    /** Reads a security option, or returns [NOT_MINE]. */
    fun get(option: Int): Any? = when (option) {
        ZMQ_MECHANISM -> when (mechanism) { "PLAIN" -> 1; "CURVE" -> 2; else -> 0 }
        ZMQ_PLAIN_SERVER -> if (mechanism == "PLAIN" && asServer) 1 else 0
        ZMQ_CURVE_SERVER -> if (mechanism == "CURVE" && asServer) 1 else 0
        ZMQ_PLAIN_USERNAME -> plainUsername.decodeToString()
        ZMQ_PLAIN_PASSWORD -> plainPassword.decodeToString()
        ZMQ_CURVE_PUBLICKEY -> curvePublicKey?.copyOf()
        ZMQ_CURVE_SECRETKEY -> curveSecretKey?.copyOf()
        ZMQ_CURVE_SERVERKEY -> curveServerKey?.copyOf()
        ZMQ_ZAP_ENFORCE_DOMAIN -> if (zapEnforceDomain) 1 else 0
        else -> NOT_MINE
    }

    /** A snapshot for one connection. */
    fun snapshot(zapDomain: ByteArray): SecurityOptions = SecurityOptions(
        mechanism, asServer, plainUsername, plainPassword, curvePublicKey, curveSecretKey, curveServerKey, zapDomain, zapEnforceDomain,
    )

    override fun toString(): String = "SecurityOptionValues($mechanism, asServer=$asServer)"

    private fun flag(option: Int, value: Int): Boolean = when (value) {
        0 -> false
        1 -> true
        else -> throw ZmqException(ZmqError.EINVAL, "socket option $option: expected 0 or 1, was $value")
    }

    companion object {
        /** Returned by [get] for options that are not security options. */
        val NOT_MINE = Any()
    }
}
