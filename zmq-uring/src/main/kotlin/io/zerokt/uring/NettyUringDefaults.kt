package io.zerokt.uring

import io.netty.channel.uring.IoUring
import org.slf4j.LoggerFactory

/**
 * The Netty system property the io_uring engine sets before Netty's `IoUring` class reads it: receives into the
 * buffer ring are single-shot (`io.netty.iouring.recvMultiShotEnabled=false`), unless the application set it (or
 * loaded `IoUring` first); then it logs a warning once.
 *
 * Why: Netty 4.2.18 re-arms a multishot receive that ended for lack of ring buffers (ENOBUFS) even while the
 * channel's reading is paused (auto-read off), so a connection whose socket reads slower than its peer sends went
 * on receiving without bound. Measured: 30 MB queued against the 1 MiB pause limit in [UringStream]'s read-pause
 * test, and a 64 B PUSH/PULL run under a 512 MB heap grew to 511 MB of queued direct buffers, ran out of direct
 * memory and lost the connection with the messages it held. Single-shot receives into the same ring stop when paused.
 * The mechanism: once armed, the kernel fills ring buffers for as long as the socket has data (64–70 buffers arrived
 * after each pause in that test), and the ENOBUFS that ends the receive makes Netty arm a new one without looking at
 * auto-read, before any handler could react.
 */
internal object NettyUringDefaults {
    /** Netty's switch for multishot receives; read once, when `IoUring` initialises. */
    const val RECV_MULTISHOT_PROPERTY: String = "io.netty.iouring.recvMultiShotEnabled"

    init {
        if (System.getProperty(RECV_MULTISHOT_PROPERTY) == null) System.setProperty(RECV_MULTISHOT_PROPERTY, "false")
        // The application may have set it, or loaded IoUring (its own Netty io_uring use) before ZeroKt set it.
        val multishot = try {
            IoUring.isRecvMultishotEnabled()
        } catch (e: LinkageError) {
            false // no native library: the engine is unavailable anyway
        }
        if (multishot) {
            LoggerFactory.getLogger(NettyUringDefaults::class.java).warn(
                "Netty's multishot receive is on ({}): it cannot be paused in Netty 4.2.18, so an io_uring socket " +
                    "with ZKT_IO_URING_MULTISHOT that reads slower than its peer sends may buffer without bound",
                RECV_MULTISHOT_PROPERTY,
            )
        }
    }

    /** Makes sure the defaults are applied; call before anything touches Netty's `IoUring`. */
    fun apply() {}
}
