package io.zerokt.testing

import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer

/**
 * ZMTP 3.x bytes built straight from the RFCs (23/ZMTP 3.0 and 37/ZMTP 3.1 in `/work/shared/specs`), independently of
 * ZeroKt's codec, for raw-peer tests. Nothing here validates: a test can build broken bytes on purpose.
 */
object Zmtp {
    /** Frame flag bit 0: more frames follow. */
    const val FLAG_MORE: Int = 0x01

    /** Frame flag bit 1: the size is 8 octets. */
    const val FLAG_LONG: Int = 0x02

    /** Frame flag bit 2: a command frame. */
    const val FLAG_COMMAND: Int = 0x04

    /** The greeting's size: 64 octets. */
    const val GREETING_SIZE: Int = 64

    /**
     * A 64-octet greeting: signature `FF 00*8 7F`, version [major].[minor], [mechanism] padded with zeros to 20 octets,
     * as-server, 31 zero octets of filler.
     */
    @JvmStatic
    @JvmOverloads
    fun greeting(major: Int = 3, minor: Int = 1, mechanism: String = "NULL", asServer: Boolean = false): ByteArray {
        val g = ByteArray(GREETING_SIZE)
        g[0] = 0xFF.toByte()
        g[9] = 0x7F
        g[10] = major.toByte()
        g[11] = minor.toByte()
        val m = mechanism.encodeToByteArray()
        require(m.size <= 20) { "mechanism is at most 20 octets" }
        m.copyInto(g, 12)
        g[32] = if (asServer) 1 else 0
        return g
    }

    /**
     * One frame: flags ([more], [command], and LONG when the body is over 255 octets or [forceLong]), the size
     * (1 octet, or 8 octets in network order), then [body].
     */
    @JvmStatic
    @JvmOverloads
    fun frame(body: ByteArray, more: Boolean = false, command: Boolean = false, forceLong: Boolean = false): ByteArray {
        val long = forceLong || body.size > 255
        val flags = (if (more) FLAG_MORE else 0) or (if (long) FLAG_LONG else 0) or (if (command) FLAG_COMMAND else 0)
        val out = ByteBuffer.allocate(1 + (if (long) 8 else 1) + body.size)
        out.put(flags.toByte())
        if (long) out.putLong(body.size.toLong()) else out.put(body.size.toByte())
        out.put(body)
        return out.array()
    }

    /** A frame header alone (flags and size) announcing [size] octets, for truncated or oversized frames. */
    @JvmStatic
    fun frameHeader(flags: Int, size: Long): ByteArray {
        val long = flags and FLAG_LONG != 0
        val out = ByteBuffer.allocate(if (long) 9 else 2)
        out.put(flags.toByte())
        if (long) out.putLong(size) else out.put(size.toByte())
        return out.array()
    }

    /** A whole message: each of [frames] as a message frame, MORE on all but the last. */
    @JvmStatic
    fun message(frames: List<ByteArray>): ByteArray {
        val out = ByteArrayOutputStream()
        frames.forEachIndexed { i, f -> out.write(frame(f, more = i < frames.size - 1)) }
        return out.toByteArray()
    }

    /** The body of a command: name length, [name], then [data]. */
    @JvmStatic
    @JvmOverloads
    fun commandBody(name: String, data: ByteArray = ByteArray(0)): ByteArray {
        val n = name.encodeToByteArray()
        require(n.size in 1..255) { "command names are 1 to 255 octets" }
        return byteArrayOf(n.size.toByte()) + n + data
    }

    /** A command frame named [name] with [data]. */
    @JvmStatic
    @JvmOverloads
    fun command(name: String, data: ByteArray = ByteArray(0), forceLong: Boolean = false): ByteArray =
        frame(commandBody(name, data), command = true, forceLong = forceLong)

    /** Metadata properties: name length (1 octet), name, value length (4 octets, network order), value; in order. */
    @JvmStatic
    fun metadata(properties: List<Pair<String, ByteArray>>): ByteArray {
        val out = ByteArrayOutputStream()
        for ((name, value) in properties) {
            val n = name.encodeToByteArray()
            out.write(n.size)
            out.write(n)
            out.write(ByteBuffer.allocate(4).putInt(value.size).array())
            out.write(value)
        }
        return out.toByteArray()
    }

    /** The NULL mechanism's READY command with `Socket-Type` = [socketType] and, when given, `Identity` = [identity]. */
    @JvmStatic
    @JvmOverloads
    fun readyCommand(socketType: String, identity: ByteArray? = null): ByteArray {
        val props = mutableListOf("Socket-Type" to socketType.encodeToByteArray())
        if (identity != null) props += "Identity" to identity
        return command("READY", metadata(props))
    }

    /** An ERROR command with [reason] (at most 255 octets). */
    @JvmStatic
    fun errorCommand(reason: String): ByteArray {
        val r = reason.encodeToByteArray()
        return command("ERROR", byteArrayOf(r.size.toByte()) + r)
    }

    /** A PING command (ZMTP 3.1): TTL in tenths of a second (2 octets), then up to 16 octets of [context]. */
    @JvmStatic
    @JvmOverloads
    fun pingCommand(ttlDeciseconds: Int = 0, context: ByteArray = ByteArray(0)): ByteArray =
        command("PING", byteArrayOf((ttlDeciseconds shr 8).toByte(), ttlDeciseconds.toByte()) + context)

    /** A PONG command (ZMTP 3.1) echoing [context]. */
    @JvmStatic
    @JvmOverloads
    fun pongCommand(context: ByteArray = ByteArray(0)): ByteArray = command("PONG", context)

    /** A SUBSCRIBE command (ZMTP 3.1) for [topic]. */
    @JvmStatic
    fun subscribeCommand(topic: ByteArray): ByteArray = command("SUBSCRIBE", topic)

    /** A CANCEL command (ZMTP 3.1) for [topic]. */
    @JvmStatic
    fun cancelCommand(topic: ByteArray): ByteArray = command("CANCEL", topic)

    /** A ZMTP 3.0-style subscription message: one frame of 0x01 (subscribe) or 0x00 (cancel) then [topic]. */
    @JvmStatic
    @JvmOverloads
    fun subscriptionMessage(topic: ByteArray, subscribe: Boolean = true): ByteArray =
        frame(byteArrayOf(if (subscribe) 1 else 0) + topic)

    /** Parses metadata properties (as in READY); throws [IllegalArgumentException] on malformed input. */
    @JvmStatic
    fun parseMetadata(data: ByteArray): Map<String, ByteArray> {
        val b = ByteBuffer.wrap(data)
        val out = LinkedHashMap<String, ByteArray>()
        while (b.hasRemaining()) {
            val n = b.get().toInt() and 0xFF
            require(n in 1..b.remaining()) { "bad property name length $n" }
            val name = ByteArray(n).also { b.get(it) }.decodeToString()
            require(b.remaining() >= 4) { "truncated property $name" }
            val len = b.getInt()
            require(len in 0..b.remaining()) { "bad value length $len for $name" }
            out[name] = ByteArray(len).also { b.get(it) }
        }
        return out
    }
}

/** A parsed 64-octet greeting. [raw] is exactly what was read. */
class ZmtpGreeting(val raw: ByteArray) {
    init {
        require(raw.size == Zmtp.GREETING_SIZE) { "a greeting is 64 octets, got ${raw.size}" }
    }

    /** Whether octet 0 is 0xFF and octet 9 is 0x7F. */
    val hasValidSignature: Boolean get() = raw[0] == 0xFF.toByte() && raw[9] == 0x7F.toByte()

    /** The major version (octet 10). */
    val major: Int get() = raw[10].toInt() and 0xFF

    /** The minor version (octet 11). */
    val minor: Int get() = raw[11].toInt() and 0xFF

    /** The mechanism name, zero padding removed. */
    val mechanism: String get() = raw.copyOfRange(12, 32).decodeToString().trimEnd('\u0000')

    /** The as-server octet is 1. */
    val asServer: Boolean get() = raw[32].toInt() == 1

    override fun toString(): String = "ZmtpGreeting(v$major.$minor, $mechanism, asServer=$asServer)"
}

/** A frame read from the wire: its [flags] octet and [body]. */
class ZmtpFrame(val flags: Int, val body: ByteArray) {
    /** MORE is set. */
    val more: Boolean get() = flags and Zmtp.FLAG_MORE != 0

    /** COMMAND is set. */
    val isCommand: Boolean get() = flags and Zmtp.FLAG_COMMAND != 0

    /** LONG is set. */
    val isLong: Boolean get() = flags and Zmtp.FLAG_LONG != 0

    /** For a command, its name; else null. */
    val commandName: String?
        get() {
            if (!isCommand || body.isEmpty()) return null
            val n = body[0].toInt() and 0xFF
            return if (n + 1 <= body.size) body.copyOfRange(1, 1 + n).decodeToString() else null
        }

    /** For a command, the bytes after its name; else null. */
    val commandData: ByteArray?
        get() {
            val name = commandName ?: return null
            return body.copyOfRange(1 + name.encodeToByteArray().size, body.size)
        }

    /** For a READY command, its metadata properties; else null. */
    val metadata: Map<String, ByteArray>? get() = if (commandName == "READY") Zmtp.parseMetadata(commandData!!) else null

    override fun toString(): String =
        "ZmtpFrame(flags=0x${flags.toString(16)}, ${commandName?.let { "command $it, " } ?: ""}${body.size} B)"
}
