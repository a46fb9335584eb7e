package io.zerokt.security.internal

import io.zerokt.engine.spi.Mechanism
import io.zerokt.engine.spi.MechanismFactory
import io.zerokt.engine.spi.MechanismProvider
import io.zerokt.engine.spi.MechanismSession
import io.zerokt.engine.spi.SecurityOptions
import io.zerokt.security.Z85

/** Plugs CURVE into the engine (found with ServiceLoader, see `META-INF/services`). */
public class CurveProvider : MechanismProvider {
    override val name: String get() = "CURVE"

    /** 32 raw bytes, or 40 Z85 characters (41 with libzmq's trailing NUL). */
    override fun decodeKey(option: Int, value: ByteArray): ByteArray = when {
        value.size == 32 -> value.copyOf()
        value.size == 40 || (value.size == 41 && value[40] == 0.toByte()) -> Z85.decode(String(value, 0, 40, Charsets.US_ASCII))
        else -> throw IllegalArgumentException("a CURVE key is 32 bytes or 40 Z85 characters, got ${value.size} bytes")
    }

    override fun factory(options: SecurityOptions): MechanismFactory = CurveMechanismFactory(options)
}

/** CURVE for one socket's options: a server with (S, s), or a client with (C, c) and the server's S. */
internal class CurveMechanismFactory(private val options: SecurityOptions) : MechanismFactory {
    override val name: String get() = "CURVE"

    override val asServer: Boolean get() = options.asServer

    override fun create(session: MechanismSession): Mechanism {
        val secret = options.curveSecretKey ?: throw missingKey("CURVE_SECRETKEY")
        val public = options.curvePublicKey ?: NaCl.publicKeyOf(secret)
        return if (options.asServer) {
            CurveServer(session, public, secret, options.zapEnforceDomain)
        } else {
            CurveClient(session, public, secret, options.curveServerKey ?: throw missingKey("CURVE_SERVERKEY"))
        }
    }

    override fun toString(): String = "CurveMechanismFactory(asServer=${options.asServer})"
}
