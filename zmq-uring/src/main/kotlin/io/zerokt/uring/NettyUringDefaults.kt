package io.zerokt.uring

import org.slf4j.LoggerFactory

/**
 * The Netty system property the io_uring engine sets before Netty's `IoUring` class reads it: receives into the
 * buffer ring are single-shot (`io.netty.iouring.recvMultiShotEnabled=false`), unless the application set it.
 *
 * Why: Netty 4.2.18 re-arms a multishot receive that ended for lack of ring buffers (ENOBUFS) even while the
 * channel's reading is paused (auto-read off), so a connection whose socket reads slower than its peer sends went
 * on receiving without bound. Measured: 30 MB queued against the 1 MiB pause limit in [UringStream]'s read-pause
 * test, and a 64 B PUSH/PULL run under a 512 MB heap grew to 511 MB of queued direct buffers, ran out of direct
 * memory and lost the connection with the messages it held. Single-shot receives into the same ring stop when paused.
 */
internal object NettyUringDefaults {
    /** Netty's switch for multishot receives; read once, when `IoUring` initialises. */
    const val RECV_MULTISHOT_PROPERTY: String = "io.netty.iouring.recvMultiShotEnabled"

    init {
        val given = System.getProperty(RECV_MULTISHOT_PROPERTY)
        if (given == null) {
            System.setProperty(RECV_MULTISHOT_PROPERTY, "false")
        } else if (given.toBoolean()) {
            LoggerFactory.getLogger(NettyUringDefaults::class.java).warn(
                "{}=true: multishot receives cannot be paused in Netty 4.2.18, so a slow io_uring socket may buffer " +
                    "without bound",
                RECV_MULTISHOT_PROPERTY,
            )
        }
    }

    /** Makes sure the defaults are applied; call before anything touches Netty's `IoUring`. */
    fun apply() {}
}
