package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.SocketType

/**
 * Hand-made ZMTP bytes and small helpers for the codec tests. Frames are built here byte by byte, independently of
 * the encoder under test, so golden and hostile inputs do not depend on the code they check.
 */
internal object ZmtpTestWire {
    /** Bytes from a hex string; spaces are ignored ("ff 00 7f"). */
    fun hex(text: String): ByteArray {
        val clean = text.filter { !it.isWhitespace() }
        require(clean.length % 2 == 0) { "odd hex length: $text" }
        return ByteArray(clean.length / 2) { clean.substring(2 * it, 2 * it + 2).toInt(16).toByte() }
    }

    /** ASCII bytes of [text]. */
    fun ascii(text: String): ByteArray = text.toByteArray(Charsets.ISO_8859_1)

    /** A greeting as a peer would send it. */
    fun greeting(major: Int = 3, minor: Int = 1, mechanism: String = "NULL", asServer: Boolean = false): ByteArray {
        val g = ByteArray(64)
        g[0] = 0xFF.toByte()
        g[9] = 0x7F
        g[10] = major.toByte()
        g[11] = minor.toByte()
        ascii(mechanism).copyInto(g, 12)
        g[32] = if (asServer) 1 else 0
        return g
    }

    /** One frame with [flags] (LONG is added when [long] or the body needs it) and [body]. */
    fun frame(flags: Int, body: ByteArray, long: Boolean = body.size > 255): ByteArray {
        return if (long) {
            val h = ByteArray(9)
            h[0] = (flags or 0x02).toByte()
            val n = body.size.toLong()
            for (i in 0 until 8) h[1 + i] = (n ushr (56 - 8 * i)).toByte()
            h + body
        } else {
            byteArrayOf((flags and 0x02.inv()).toByte(), body.size.toByte()) + body
        }
    }

    /** A message frame. */
    fun data(body: ByteArray, more: Boolean = false, long: Boolean = body.size > 255): ByteArray =
        frame(if (more) 0x01 else 0x00, body, long)

    /** A message frame holding [text]. */
    fun data(text: String, more: Boolean = false): ByteArray = data(ascii(text), more)

    /** A command frame named [name] with [data] (long form when asked or needed). */
    fun command(name: String, data: ByteArray = ByteArray(0), long: Boolean = false): ByteArray {
        val n = ascii(name)
        val body = byteArrayOf(n.size.toByte()) + n + data
        return frame(0x04, body, long || body.size > 255)
    }

    /** The metadata encoding of [properties]. */
    fun metadata(vararg properties: Pair<String, ByteArray>): ByteArray {
        var out = ByteArray(0)
        for ((name, value) in properties) {
            val n = ascii(name)
            val len = value.size
            out += byteArrayOf(n.size.toByte()) + n +
                byteArrayOf((len ushr 24).toByte(), (len ushr 16).toByte(), (len ushr 8).toByte(), len.toByte()) + value
        }
        return out
    }

    /** A READY command with [properties]. */
    fun ready(vararg properties: Pair<String, ByteArray>): ByteArray = command("READY", metadata(*properties))

    /** A READY carrying only `Socket-Type: [type]`. */
    fun ready(type: SocketType): ByteArray = ready("Socket-Type" to ascii(type.zmtpName))

    /** The bytes a NULL peer of [type] sends to complete the handshake. */
    fun nullPeer(type: SocketType, minor: Int = 1): ByteArray = greeting(minor = minor) + ready(type)

    /** A NULL configuration with no timers. */
    fun config(
        type: SocketType,
        routingId: ByteArray? = null,
        maxMessageSize: Long = -1,
        heartbeatIvl: Int = 0,
        heartbeatTtl: Int = 0,
        heartbeatTimeout: Int = -1,
        handshakeIvl: Int = 0,
        extra: Map<String, ByteArray> = emptyMap(),
    ): ZmtpConfig = ZmtpConfig(
        socketType = type,
        routingId = routingId,
        asServer = false,
        mechanism = NullMechanismFactory,
        maxMessageSize = maxMessageSize,
        heartbeatIvlMillis = heartbeatIvl,
        heartbeatTtlMillis = heartbeatTtl,
        heartbeatTimeoutMillis = heartbeatTimeout,
        handshakeIvlMillis = handshakeIvl,
        extraMetadata = extra,
    )

    /** A started connection. */
    fun started(config: ZmtpConfig, now: Long = 0): ZmtpConnection = ZmtpConnection(config).also { it.start(now) }

    /** A connection of [type] that completed a handshake with a NULL [peer] (its output and events discarded). */
    fun handshaken(config: ZmtpConfig, peer: SocketType, minor: Int = 1): ZmtpConnection {
        val c = started(config)
        c.feed(nullPeer(peer, minor))
        val events = c.drainEvents()
        check(events.size == 1 && events[0] is ZmtpEvent.HandshakeSucceeded) { "handshake failed: $events" }
        c.output()
        return c
    }
}

/** Feeds all of [bytes] in one call. */
internal fun ZmtpConnection.feed(bytes: ByteArray, now: Long = 0) = receive(bytes, 0, bytes.size, now)

/** Every pending event. */
internal fun ZmtpConnection.drainEvents(): List<ZmtpEvent> = generateSequence { pollEvent() }.toList()

/** Every pending output byte. */
internal fun ZmtpConnection.output(): ByteArray = OutputBuffer(64).also { drainOutput(it) }.toByteArray()

/** A deterministic text for an event, for comparing event sequences. */
internal fun ZmtpEvent.describe(): String = when (this) {
    is ZmtpEvent.HandshakeSucceeded ->
        "Handshake(${peerSocketType}, id=${peerRoutingId?.toHex()}, v=3.$peerMinorVersion, " +
            metadata.entries.joinToString { "${it.key}=${it.value.toHex()}" } + ")"
    is ZmtpEvent.MessageReceived -> "Message(" + message.frames.joinToString { it.toByteArray().toHex() } + ")"
    is ZmtpEvent.Subscribe -> "Subscribe(${topic.toHex()})"
    is ZmtpEvent.Cancel -> "Cancel(${topic.toHex()})"
    is ZmtpEvent.Failed -> "Failed($error, $duringHandshake)"
}

/** Lower-case hex without separators. */
internal fun ByteArray.toHex(): String {
    val digits = "0123456789abcdef"
    val chars = CharArray(size * 2)
    for (i in indices) {
        val b = this[i].toInt() and 0xFF
        chars[2 * i] = digits[b ushr 4]
        chars[2 * i + 1] = digits[b and 0x0F]
    }
    return String(chars)
}
