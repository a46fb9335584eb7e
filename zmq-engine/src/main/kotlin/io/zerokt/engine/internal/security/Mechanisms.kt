package io.zerokt.engine.internal.security

import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.zmtp.NullMechanismFactory
import io.zerokt.engine.internal.zmtp.NullZapMechanismFactory
import io.zerokt.engine.spi.MechanismFactory
import io.zerokt.engine.spi.MechanismProvider
import io.zerokt.engine.spi.SecurityOptions
import java.util.ServiceLoader

/** Picks the security mechanism for a connection from the socket's [SecurityOptions]. */
internal object Mechanisms {
    private val providers: Map<String, MechanismProvider> by lazy {
        ServiceLoader.load(MechanismProvider::class.java, MechanismProvider::class.java.classLoader).associateBy { it.name }
    }

    /** The CURVE provider (module `zmq-security`), or EINVAL when it is not on the class path. */
    fun curveProvider(): MechanismProvider = providers["CURVE"]
        ?: throw ZmqException(ZmqError.EINVAL, "CURVE needs the zmq-security module on the class path")

    /** The mechanism factory for a connection of a socket with these [options]. */
    fun factoryFor(options: SecurityOptions): MechanismFactory = when (options.mechanism) {
        "PLAIN" -> PlainMechanismFactory(options.asServer, options.plainUsername, options.plainPassword)
        "CURVE" -> curveProvider().factory(options)
        else -> if (options.zapDomain.isNotEmpty()) NullZapMechanismFactory(options.zapEnforceDomain) else NullMechanismFactory
    }
}
