package io.zerokt.engine.internal.zmtp

import io.zerokt.Frame
import io.zerokt.ProtocolError

/**
 * Makes a [Mechanism] for each connection: one security mechanism of RFC 23/37 ("NULL", "PLAIN", "CURVE"...).
 *
 * Both peers announce [name] in their greetings and must announce the same one.
 */
internal interface MechanismFactory {
    /** The name sent in the greeting: 1..20 of A-Z, 0-9, `-_.+`. */
    val name: String

    /**
     * True when the mechanism has client and server roles, so that the greeting's as-server octet carries
     * [ZmtpConfig.asServer]; false sends 0 (RFC 37: with NULL "the as-server field MUST be zero").
     */
    val hasServerRole: Boolean get() = true

    /** A fresh mechanism for one connection, created once the peer's greeting has been accepted. */
    fun create(session: MechanismSession): Mechanism
}

/** What a mechanism knows about its connection when it is created. */
internal class MechanismSession(
    /** Our connection settings (socket type, routing id, our as-server role, extra metadata). */
    val config: ZmtpConfig,
    /** The as-server octet of the peer's greeting. */
    val peerAsServer: Boolean,
    /** 0 for a ZMTP 3.0 peer, 1 for 3.1 or later. */
    val peerMinorVersion: Int,
) {
    /** Our READY/INITIATE properties: `Socket-Type`, then `Identity` for REQ/DEALER/ROUTER, then extra metadata. */
    fun ourMetadata(): Map<String, ByteArray> {
        val m = LinkedHashMap<String, ByteArray>()
        m[Metadata.SOCKET_TYPE] = config.socketType.zmtpName.encodeToByteArray()
        if (config.sendsIdentity) m[Metadata.IDENTITY] = config.routingId ?: ByteArray(0)
        m.putAll(config.extraMetadata)
        return m
    }
}

/**
 * One connection's security handshake, as a sans-I/O state machine driven by [ZmtpConnection].
 *
 * ## Protocol
 * The connection calls [start] once after the greetings, then [onCommand] for each command the peer sends during
 * the handshake (ERROR excepted: the connection handles it), and [onVerdict] when the driver supplies an external
 * decision the mechanism asked for. Each call writes the commands to send, as plain command frames, into `out`, and
 * returns a [MechanismStatus]:
 * - [MechanismStatus.InProgress]: more commands are expected.
 * - [MechanismStatus.AwaitingVerdict]: the mechanism waits for an outside answer (PLAIN and CURVE servers ask ZAP,
 *   RFC 27). The connection exposes the request through [ZmtpConnection.pollMechanismRequest] and feeds the answer
 *   back through [ZmtpConnection.supplyMechanismVerdict].
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
 * ## Testing
 * Drive a mechanism with hand-made [ReceivedCommand]s and an [OutputBuffer], and compare the bytes it writes with
 * the RFC's; or run two connections with it through the test `ZmtpPair`.
 */
internal interface Mechanism {
    /** The largest handshake command body accepted from the peer (checked before allocating). */
    val maxHandshakeCommandSize: Int get() = DEFAULT_MAX_HANDSHAKE_COMMAND

    /** Begins the handshake: writes the commands we send first (NULL: READY). */
    fun start(out: OutputBuffer): MechanismStatus

    /** Handles one handshake [command] from the peer (never ERROR). */
    fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus

    /** Handles the outside answer to the request of the last [MechanismStatus.AwaitingVerdict]. */
    fun onVerdict(verdict: Any, out: OutputBuffer): MechanismStatus =
        throw IllegalStateException("${this::class.simpleName} never asks for a verdict")

    /** How frames travel after the handshake; null for ZMTP's clear framing. Read once, after Done. */
    fun trafficCodec(): TrafficCodec? = null

    companion object {
        /** 64 KiB: enough for any NULL/PLAIN/CURVE handshake command with sane metadata. */
        const val DEFAULT_MAX_HANDSHAKE_COMMAND: Int = 64 * 1024
    }
}

/** The result of one step of a [Mechanism]. */
internal sealed interface MechanismStatus {
    /** The handshake continues; more commands are expected from the peer. */
    object InProgress : MechanismStatus

    /**
     * The mechanism waits for an outside decision (e.g. a ZAP reply). [request] describes what to ask; its type is
     * agreed between the mechanism and the driver (e.g. a ZAP request for PLAIN).
     */
    class AwaitingVerdict(val request: Any) : MechanismStatus

    /** The handshake succeeded; [peerMetadata] is the peer's properties (case-insensitive names). */
    class Done(val peerMetadata: Map<String, ByteArray>) : MechanismStatus

    /** The handshake failed; [sendError] asks for an ERROR command with [reason] to be sent before closing. */
    class Failed(val error: ProtocolError, val reason: String, val sendError: Boolean = true) : MechanismStatus
}

/**
 * Carries frames after the handshake for mechanisms that transform them (CURVE: RFC 25 MESSAGE commands).
 *
 * Every frame the connection sends, message frames and commands alike (PING, PONG, SUBSCRIBE...), goes through
 * [encodeFrame]; every frame received goes through [decodeFrame] before the connection looks at it.
 */
internal interface TrafficCodec {
    /** The largest wire frame accepted, given the socket's maxMessageSize (-1 = none), checked before allocating. */
    fun maxWireFrameSize(maxMessageSize: Long): Long

    /** Writes one message frame (MORE set when [more]) as wire frames into [out]. */
    fun encodeMessageFrame(frame: Frame, more: Boolean, out: OutputBuffer)

    /** Writes one command whose clear body (name length, name, data) is `body[off until off + len]` into [out]. */
    fun encodeCommand(body: ByteArray, off: Int, len: Int, out: OutputBuffer)

    /** Turns one received wire frame into the clear frame it carries; throws [ZmtpProtocolException] if it is bad. */
    fun decodeFrame(wireFlags: Int, wireBody: ByteArray): DecodedFrame
}

/** A clear frame recovered by [TrafficCodec.decodeFrame]: [flags] (MORE, COMMAND) and its exact [body]. */
internal class DecodedFrame(val flags: Int, val body: ByteArray)
