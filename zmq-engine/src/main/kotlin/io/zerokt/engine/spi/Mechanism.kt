package io.zerokt.engine.spi

import io.zerokt.Frame
import io.zerokt.ProtocolError
import io.zerokt.SocketType

/**
 * Makes a [Mechanism] for each connection: one security mechanism of RFC 23/37 ("NULL", "PLAIN", "CURVE"...).
 *
 * Both peers announce [name] in their greetings and must announce the same one. A factory is made per connection
 * from the socket's [SecurityOptions] (by the engine for NULL and PLAIN, by a [MechanismProvider] for CURVE), so it
 * may hold the keys it needs.
 */
@ZeroKtInternalApi
public interface MechanismFactory {
    /** The name sent in the greeting: 1..20 of A-Z, 0-9, `-_.+`. */
    public val name: String

    /**
     * True when the mechanism has client and server roles, so that the greeting's as-server octet carries our
     * role; false sends 0 (RFC 37: with NULL "the as-server field MUST be zero").
     */
    public val hasServerRole: Boolean get() = true

    /** Our role in the greeting's as-server octet (PLAIN_SERVER, CURVE_SERVER). */
    public val asServer: Boolean get() = false

    /** A fresh mechanism for one connection, created once the peer's greeting has been accepted. */
    public fun create(session: MechanismSession): Mechanism
}

/** What a mechanism knows about its connection when it is created. */
@ZeroKtInternalApi
public class MechanismSession(
    /** Our socket type, sent as `Socket-Type`. */
    public val socketType: SocketType,
    /** Our routing id, sent as `Identity` by REQ, DEALER and ROUTER; null sends an empty one. */
    public val routingId: ByteArray?,
    /** Our as-server role. */
    public val asServer: Boolean,
    /** The as-server octet of the peer's greeting. */
    public val peerAsServer: Boolean,
    /** 0 for a ZMTP 3.0 peer, 1 for 3.1 or later. */
    public val peerMinorVersion: Int,
    private val extraMetadata: Map<String, ByteArray> = emptyMap(),
) {
    /** Our READY/INITIATE properties: `Socket-Type`, then `Identity` for REQ/DEALER/ROUTER, then extra metadata. */
    public fun ourMetadata(): Map<String, ByteArray> {
        val m = LinkedHashMap<String, ByteArray>()
        m[Metadata.SOCKET_TYPE] = socketType.zmtpName.encodeToByteArray()
        if (socketType == SocketType.REQ || socketType == SocketType.DEALER || socketType == SocketType.ROUTER) {
            m[Metadata.IDENTITY] = routingId ?: ByteArray(0)
        }
        m.putAll(extraMetadata)
        return m
    }
}

/**
 * One connection's security handshake, as a sans-I/O state machine driven by the engine's ZMTP codec.
 *
 * ## Protocol
 * The connection calls [start] once after the greetings, then [onCommand] for each command the peer sends during
 * the handshake (ERROR excepted: the connection handles it), and [onVerdict] when the driver supplies the ZAP
 * answer the mechanism asked for. Each call writes the commands to send, as plain command frames, into `out`, and
 * returns a [MechanismStatus]:
 * - [MechanismStatus.InProgress]: more commands are expected.
 * - [MechanismStatus.AwaitingVerdict]: the mechanism waits for a ZAP reply (PLAIN and CURVE servers, RFC 27). The
 *   driver sends the [ZapRequest] to the ZAP handler and feeds the [ZapReply] back, or null when no handler is bound.
 * - [MechanismStatus.Done]: the handshake is over; it carries the peer's metadata (which the connection checks:
 *   `Socket-Type`, `Identity`).
 * - [MechanismStatus.Failed]: the peer failed the handshake.
 *
 * A mechanism may also throw [ZmtpProtocolException]; it is treated as [MechanismStatus.Failed].
 *
 * ## Traffic
 * After [MechanismStatus.Done], [trafficCodec] decides how frames are carried: null keeps ZMTP's clear framing
 * (NULL, PLAIN); CURVE returns a codec that wraps every frame in a MESSAGE command.
 *
 * ## Secrets
 * Implementations never put keys or passwords into exception messages, failure reasons or `toString()`.
 *
 * ## Testing
 * Drive a mechanism with hand-made [ReceivedCommand]s and an [OutputBuffer], and compare the bytes it writes with
 * the RFC's; or run two connections with it through the engine's test `ZmtpPair`.
 */
@ZeroKtInternalApi
public interface Mechanism {
    /** The largest handshake command body accepted from the peer (checked before allocating). */
    public val maxHandshakeCommandSize: Int get() = DEFAULT_MAX_HANDSHAKE_COMMAND

    /** Begins the handshake: writes the commands we send first (NULL: READY). */
    public fun start(out: OutputBuffer): MechanismStatus

    /** Handles one handshake [command] from the peer (never ERROR). */
    public fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus

    /** Handles the answer to the [ZapRequest] of the last [MechanismStatus.AwaitingVerdict]; null: no ZAP handler. */
    public fun onVerdict(verdict: ZapReply?, out: OutputBuffer): MechanismStatus =
        throw IllegalStateException("${this::class.simpleName} never asks for a verdict")

    /** How frames travel after the handshake; null for ZMTP's clear framing. Read once, after Done. */
    public fun trafficCodec(): TrafficCodec? = null

    public companion object {
        /** 64 KiB: enough for any NULL/PLAIN/CURVE handshake command with sane metadata. */
        public const val DEFAULT_MAX_HANDSHAKE_COMMAND: Int = 64 * 1024
    }
}

/** The result of one step of a [Mechanism]. */
@ZeroKtInternalApi
public sealed interface MechanismStatus {
    /** The handshake continues; more commands are expected from the peer. */
    public object InProgress : MechanismStatus

    /** The mechanism waits for the ZAP handler's answer to [request]. */
    public class AwaitingVerdict(public val request: ZapRequest) : MechanismStatus

    /**
     * The handshake succeeded; [peerMetadata] is the peer's properties (case-insensitive names), [userId] the
     * User-Id the ZAP handler gave (null without ZAP) and [zapMetadata] the properties of its reply.
     */
    public class Done(
        public val peerMetadata: Map<String, ByteArray>,
        public val userId: ByteArray? = null,
        public val zapMetadata: Map<String, ByteArray> = emptyMap(),
    ) : MechanismStatus

    /**
     * The handshake failed; [sendError] asks for an ERROR command with [reason] to be sent before closing.
     * [authStatusCode] is the ZAP status code (300, 400, 500) when authentication was refused (monitored as
     * HANDSHAKE_FAILED_AUTH), else 0; [noDetail] reports HANDSHAKE_FAILED_NO_DETAIL (libzmq: no ZAP handler).
     */
    public class Failed(
        public val error: ProtocolError,
        public val reason: String,
        public val sendError: Boolean = true,
        public val authStatusCode: Int = 0,
        public val noDetail: Boolean = false,
    ) : MechanismStatus
}

/**
 * Carries frames after the handshake for mechanisms that transform them (CURVE: RFC 25 MESSAGE commands).
 *
 * Every frame the connection sends, message frames and commands alike (PING, PONG, SUBSCRIBE...), goes through
 * [encodeMessageFrame] or [encodeCommand]; every frame received goes through [decodeFrame] before the connection
 * looks at it.
 */
@ZeroKtInternalApi
public interface TrafficCodec {
    /** The largest wire frame accepted, given the socket's maxMessageSize (-1 = none), checked before allocating. */
    public fun maxWireFrameSize(maxMessageSize: Long): Long

    /** Writes one message frame (MORE set when [more]) as wire frames into [out]. */
    public fun encodeMessageFrame(frame: Frame, more: Boolean, out: OutputBuffer)

    /** Writes one command whose clear body (name length, name, data) is `body[off until off + len]` into [out]. */
    public fun encodeCommand(body: ByteArray, off: Int, len: Int, out: OutputBuffer)

    /** Turns one received wire frame into the clear frame it carries; throws [ZmtpProtocolException] if it is bad. */
    public fun decodeFrame(wireFlags: Int, wireBody: ByteArray): DecodedFrame
}

/** A clear frame recovered by [TrafficCodec.decodeFrame]: [flags] (MORE, COMMAND) and its exact [body]. */
@ZeroKtInternalApi
public class DecodedFrame(public val flags: Int, public val body: ByteArray)
