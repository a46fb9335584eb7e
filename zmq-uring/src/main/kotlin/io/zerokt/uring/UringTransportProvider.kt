package io.zerokt.uring

import io.netty.channel.uring.IoUring
import io.zerokt.engine.spi.StreamTransport
import io.zerokt.engine.spi.StreamTransportProvider
import io.zerokt.engine.spi.ZeroKtInternalApi

/**
 * Registers the io_uring engine with `zmq-engine` (through `ServiceLoader`). It is available on Linux when Netty's
 * native io_uring library loads and the kernel allows io_uring (not disabled by sysctl or seccomp).
 */
@OptIn(ZeroKtInternalApi::class)
public class UringTransportProvider : StreamTransportProvider {
    override val name: String = "io_uring"

    override fun unavailabilityReason(): String? = unavailabilityReason(System.getProperty("os.name") ?: "unknown")

    /** [unavailabilityReason] on the operating system named [os] (as `os.name` names it). */
    internal fun unavailabilityReason(os: String): String? {
        System.getProperty(DISABLE_PROPERTY)?.let { return "io_uring disabled by the system property $DISABLE_PROPERTY=$it" }
        if (!os.startsWith("Linux")) return "io_uring needs Linux; this is $os"
        return try {
            if (IoUring.isAvailable()) null else "io_uring unavailable: ${IoUring.unavailabilityCause()}"
        } catch (e: LinkageError) {
            "the io_uring native library could not be loaded: $e"
        }
    }

    /** A transport whose event loops have each entered their ring once ([RingCheck]); throws when one cannot. */
    override fun create(ioThreads: Int, settings: Map<Int, Int>): StreamTransport {
        val transport = UringTransport(ioThreads, UringSettings.of(settings))
        try {
            transport.checkRings()
        } catch (e: Throwable) {
            transport.close()
            throw e
        }
        return transport
    }

    public companion object {
        /** Set this system property (to anything) to make the engine report itself unavailable, e.g. to test fallback. */
        public const val DISABLE_PROPERTY: String = "zerokt.io_uring.disabled"
    }
}
