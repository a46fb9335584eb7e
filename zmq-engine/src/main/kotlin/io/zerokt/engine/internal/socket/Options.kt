package io.zerokt.engine.internal.socket

import io.zerokt.*

/**
 * A socket's option values, set and read by libzmq's numeric ids (`zmq_setsockopt`/`zmq_getsockopt`).
 *
 * Fields are volatile: options are set from the user's thread and read by connection coroutines. As in libzmq,
 * most options apply to connections made after the change.
 */
internal class Options(private val type: SocketType) {
    @Volatile var sendHwm = 1000
    @Volatile var receiveHwm = 1000
    @Volatile var sendTimeout = -1
    @Volatile var receiveTimeout = -1
    @Volatile var linger = -1
    @Volatile var reconnectIvl = 100
    @Volatile var reconnectIvlMax = 0
    @Volatile var handshakeIvl = 30_000
    @Volatile var connectTimeout = 0
    @Volatile var maxMessageSize = -1L
    @Volatile var heartbeatIvl = 0
    @Volatile var heartbeatTtl = 0
    @Volatile var heartbeatTimeout = -1
    @Volatile var routingId: ByteArray? = null
    @Volatile var connectRoutingId: ByteArray? = null
    @Volatile var routerMandatory = false
    @Volatile var routerHandover = false
    @Volatile var probeRouter = false
    @Volatile var reqCorrelate = false
    @Volatile var reqRelaxed = false
    @Volatile var invertMatching = false
    @Volatile var xpubVerbose = false
    @Volatile var xpubVerboser = false
    @Volatile var xpubManual = false
    @Volatile var xpubNoDrop = false
    @Volatile var xpubWelcome: ByteArray? = null
    @Volatile var conflate = false
    @Volatile var immediate = false
    @Volatile var ipv6 = false
    @Volatile var tcpKeepalive = -1
    @Volatile var tcpKeepaliveCnt = -1
    @Volatile var tcpKeepaliveIdle = -1
    @Volatile var tcpKeepaliveIntvl = -1
    @Volatile var sendBuffer = 0
    @Volatile var receiveBuffer = 0
    @Volatile var backlog = 100
    @Volatile var tos = 0
    @Volatile var affinity = 0L
    @Volatile var zapDomain: ByteArray = ByteArray(0)
    @Volatile var ioUring = false
    @Volatile var ioUringTcpCork = false
    @Volatile var ioUringSendZcThreshold = -1
    @Volatile var ioUringMultishot = false

    /** PLAIN, CURVE and ZAP_ENFORCE_DOMAIN. */
    val security = SecurityOptionValues()

    /** Sets an integer option; returns false when [option] is not an integer option. */
    fun setInt(option: Int, value: Int): Boolean {
        when (option) {
            ZMQ_SNDHWM -> sendHwm = nonNegative(option, value)
            ZMQ_RCVHWM -> receiveHwm = nonNegative(option, value)
            ZMQ_SNDTIMEO -> sendTimeout = atLeastMinusOne(option, value)
            ZMQ_RCVTIMEO -> receiveTimeout = atLeastMinusOne(option, value)
            ZMQ_LINGER -> linger = atLeastMinusOne(option, value)
            ZMQ_RECONNECT_IVL -> reconnectIvl = atLeastMinusOne(option, value)
            ZMQ_RECONNECT_IVL_MAX -> reconnectIvlMax = nonNegative(option, value)
            ZMQ_HANDSHAKE_IVL -> handshakeIvl = nonNegative(option, value)
            ZMQ_CONNECT_TIMEOUT -> connectTimeout = nonNegative(option, value)
            ZMQ_MAXMSGSIZE -> maxMessageSize = atLeastMinusOne(option, value).toLong()
            ZMQ_HEARTBEAT_IVL -> heartbeatIvl = nonNegative(option, value)
            ZMQ_HEARTBEAT_TTL -> heartbeatTtl = checkRange(option, value, 0, 6_553_599)
            ZMQ_HEARTBEAT_TIMEOUT -> heartbeatTimeout = atLeastMinusOne(option, value)
            ZMQ_ROUTER_MANDATORY -> routerMandatory = flag(option, value)
            ZMQ_ROUTER_HANDOVER -> routerHandover = flag(option, value)
            ZMQ_PROBE_ROUTER -> probeRouter = flag(option, value)
            ZMQ_REQ_CORRELATE -> reqCorrelate = flag(option, value)
            ZMQ_REQ_RELAXED -> reqRelaxed = flag(option, value)
            ZMQ_INVERT_MATCHING -> invertMatching = flag(option, value)
            ZMQ_XPUB_VERBOSE -> xpubVerbose = flag(option, value)
            ZMQ_XPUB_VERBOSER -> xpubVerboser = flag(option, value)
            ZMQ_XPUB_MANUAL -> xpubManual = flag(option, value)
            ZMQ_XPUB_NODROP -> xpubNoDrop = flag(option, value)
            ZMQ_CONFLATE -> conflate = flag(option, value)
            ZMQ_IMMEDIATE -> immediate = flag(option, value)
            ZMQ_IPV6 -> ipv6 = flag(option, value)
            ZMQ_TCP_KEEPALIVE -> tcpKeepalive = checkRange(option, value, -1, 1)
            ZMQ_TCP_KEEPALIVE_CNT -> tcpKeepaliveCnt = atLeastMinusOne(option, value)
            ZMQ_TCP_KEEPALIVE_IDLE -> tcpKeepaliveIdle = atLeastMinusOne(option, value)
            ZMQ_TCP_KEEPALIVE_INTVL -> tcpKeepaliveIntvl = atLeastMinusOne(option, value)
            ZMQ_SNDBUF -> sendBuffer = atLeastMinusOne(option, value)
            ZMQ_RCVBUF -> receiveBuffer = atLeastMinusOne(option, value)
            ZMQ_BACKLOG -> backlog = nonNegative(option, value)
            ZMQ_TOS -> tos = checkRange(option, value, 0, 255)
            ZMQ_AFFINITY -> affinity = value.toLong()
            ZKT_IO_URING -> ioUring = flag(option, value)
            ZKT_IO_URING_TCP_CORK -> ioUringTcpCork = flag(option, value)
            ZKT_IO_URING_SEND_ZC_THRESHOLD -> ioUringSendZcThreshold = atLeastMinusOne(option, value)
            ZKT_IO_URING_MULTISHOT -> ioUringMultishot = flag(option, value)
            else -> return security.setInt(option, value)
        }
        return true
    }

    /** Sets a binary option; returns false when [option] is not a binary option. */
    fun setBytes(option: Int, value: ByteArray): Boolean {
        when (option) {
            ZMQ_ROUTING_ID -> {
                if (value.size > 255) invalid(option, "a routing id is at most 255 bytes, was ${value.size}")
                if (value.isNotEmpty() && value[0] == 0.toByte()) invalid(option, "a routing id may not start with a zero byte")
                routingId = value.copyOf().takeIf { it.isNotEmpty() }
            }
            ZMQ_CONNECT_ROUTING_ID -> {
                if (value.size > 255) invalid(option, "a routing id is at most 255 bytes, was ${value.size}")
                connectRoutingId = value.copyOf().takeIf { it.isNotEmpty() }
            }
            ZMQ_XPUB_WELCOME_MSG -> xpubWelcome = value.copyOf().takeIf { it.isNotEmpty() }
            ZMQ_ZAP_DOMAIN -> zapDomain = value.copyOf()
            else -> return security.setBytes(option, value)
        }
        return true
    }

    /** Reads option [option], or throws EINVAL. */
    fun get(option: Int): Any? = when (option) {
        ZMQ_SNDHWM -> sendHwm
        ZMQ_RCVHWM -> receiveHwm
        ZMQ_SNDTIMEO -> sendTimeout
        ZMQ_RCVTIMEO -> receiveTimeout
        ZMQ_LINGER -> linger
        ZMQ_RECONNECT_IVL -> reconnectIvl
        ZMQ_RECONNECT_IVL_MAX -> reconnectIvlMax
        ZMQ_HANDSHAKE_IVL -> handshakeIvl
        ZMQ_CONNECT_TIMEOUT -> connectTimeout
        ZMQ_MAXMSGSIZE -> maxMessageSize
        ZMQ_HEARTBEAT_IVL -> heartbeatIvl
        ZMQ_HEARTBEAT_TTL -> heartbeatTtl
        ZMQ_HEARTBEAT_TIMEOUT -> heartbeatTimeout
        ZMQ_ROUTING_ID -> routingId?.copyOf()
        ZMQ_CONNECT_ROUTING_ID -> connectRoutingId?.copyOf()
        ZMQ_ROUTER_MANDATORY -> routerMandatory.toInt()
        ZMQ_ROUTER_HANDOVER -> routerHandover.toInt()
        ZMQ_PROBE_ROUTER -> probeRouter.toInt()
        ZMQ_REQ_CORRELATE -> reqCorrelate.toInt()
        ZMQ_REQ_RELAXED -> reqRelaxed.toInt()
        ZMQ_INVERT_MATCHING -> invertMatching.toInt()
        ZMQ_XPUB_VERBOSE -> xpubVerbose.toInt()
        ZMQ_XPUB_VERBOSER -> xpubVerboser.toInt()
        ZMQ_XPUB_MANUAL -> xpubManual.toInt()
        ZMQ_XPUB_NODROP -> xpubNoDrop.toInt()
        ZMQ_XPUB_WELCOME_MSG -> xpubWelcome?.copyOf()
        ZMQ_CONFLATE -> conflate.toInt()
        ZMQ_IMMEDIATE -> immediate.toInt()
        ZMQ_IPV6 -> ipv6.toInt()
        ZMQ_TCP_KEEPALIVE -> tcpKeepalive
        ZMQ_TCP_KEEPALIVE_CNT -> tcpKeepaliveCnt
        ZMQ_TCP_KEEPALIVE_IDLE -> tcpKeepaliveIdle
        ZMQ_TCP_KEEPALIVE_INTVL -> tcpKeepaliveIntvl
        ZMQ_SNDBUF -> sendBuffer
        ZMQ_RCVBUF -> receiveBuffer
        ZMQ_BACKLOG -> backlog
        ZMQ_TOS -> tos
        ZMQ_AFFINITY -> affinity
        ZMQ_TYPE -> type.id
        ZMQ_RCVMORE -> 0
        ZMQ_ZAP_DOMAIN -> zapDomain.decodeToString()
        ZKT_IO_URING -> ioUring.toInt()
        ZKT_IO_URING_TCP_CORK -> ioUringTcpCork.toInt()
        ZKT_IO_URING_SEND_ZC_THRESHOLD -> ioUringSendZcThreshold
        ZKT_IO_URING_MULTISHOT -> ioUringMultishot.toInt()
        else -> security.get(option).also {
            if (it === SecurityOptionValues.NOT_MINE) throw ZmqException(ZmqError.EINVAL, "unknown socket option $option")
        }
    }

    private fun Boolean.toInt() = if (this) 1 else 0

    private fun flag(option: Int, value: Int): Boolean = when (value) {
        0 -> false
        1 -> true
        else -> invalid(option, "expected 0 or 1, was $value")
    }

    private fun nonNegative(option: Int, value: Int): Int = if (value >= 0) value else invalid(option, "must be >= 0, was $value")

    private fun atLeastMinusOne(option: Int, value: Int): Int = if (value >= -1) value else invalid(option, "must be >= -1, was $value")

    private fun checkRange(option: Int, value: Int, min: Int, max: Int): Int =
        if (value in min..max) value else invalid(option, "must be in $min..$max, was $value")

    private fun invalid(option: Int, why: String): Nothing = throw ZmqException(ZmqError.EINVAL, "socket option $option: $why")
}
