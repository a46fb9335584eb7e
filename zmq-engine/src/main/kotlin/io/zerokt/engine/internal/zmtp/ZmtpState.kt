package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.ProtocolError

/**
 * The phases of a ZMTP connection. Every rule about what may happen in which phase lives in [ZmtpState] (in the
 * spirit of h11's `_state.py`): [ZmtpConnection] asks it and never decides on its own.
 *
 * ```
 *   NEW --start--> GREETING --peer greeting ok--> HANDSHAKE <--verdict--> AWAITING_VERDICT
 *                      |                            |    \                     |
 *                      |                            |     `------Done-------.  |
 *                      v                            v                       v  v
 *                   FAILED <----------------------FAILED <----------------- TRAFFIC
 * ```
 */
internal enum class ZmtpPhase {
    /** Created; [ZmtpConnection.start] not called yet. */
    NEW,

    /** Our greeting is queued; reading the peer's 64 octets. */
    GREETING,

    /** The mechanism's handshake is running (NULL: waiting for the peer's READY). */
    HANDSHAKE,

    /** The mechanism waits for an outside verdict (ZAP). */
    AWAITING_VERDICT,

    /** Handshake done: messages and traffic commands flow. */
    TRAFFIC,

    /** Terminal. */
    FAILED,
}

/** What the connection does with one received command. */
internal enum class CommandAction {
    /** Hand it to the mechanism (handshake phases). */
    TO_MECHANISM,

    /** The peer gave up: fail with PEER_ERROR and the reason. */
    PEER_ERROR,

    /** Queue a PONG; arm the TTL timer. */
    PING,

    /** Just traffic. */
    PONG,

    /** Report [ZmtpEvent.Subscribe]. */
    SUBSCRIBE,

    /** Report [ZmtpEvent.Cancel]. */
    CANCEL,

    /** A command ZMTP defines, at a point where it is not allowed: ZMTP_UNEXPECTED_COMMAND. */
    UNEXPECTED,

    /** A name no ZMTP RFC defines: UNKNOWN_COMMAND. */
    UNKNOWN,
}

/**
 * The transition and admission rules of a ZMTP connection (RFC 23/37), in one place.
 *
 * ## Frames
 * - Message frames are allowed only in [ZmtpPhase.TRAFFIC] (RFC 37: messages follow the handshake); before that they
 *   fail with ZMTP_UNEXPECTED_COMMAND, decided on the flags octet, before the body is read.
 * - A command may not arrive in the middle of a multipart message ("commands are single frames", and a message's
 *   frames are atomic): ZMTP_UNEXPECTED_COMMAND.
 * - A command frame with MORE set breaks RFC 37 ("This bit SHALL be zero on command frames"):
 *   ZMTP_MALFORMED_COMMAND_UNSPECIFIED. (libzmq lets it pass; we follow the RFC.)
 *
 * ## Commands after the handshake
 * PING, PONG, SUBSCRIBE, CANCEL and ERROR are handled. Other commands that a ZMTP RFC defines (READY, HELLO,
 * WELCOME, INITIATE, MESSAGE, JOIN, LEAVE) are ZMTP_UNEXPECTED_COMMAND; any other name is UNKNOWN_COMMAND.
 * RFC 37 gives no rule for unknown commands; libzmq passes them on and ignores them, but we close the connection,
 * since a peer we do not understand cannot be trusted to keep the stream in sync. (JOIN/LEAVE will move to the
 * handled set with RADIO/DISH.)
 *
 * ## Commands during the handshake
 * ERROR is always PEER_ERROR; everything else goes to the mechanism, which decides.
 */
internal object ZmtpState {
    private val ALLOWED: Map<ZmtpPhase, Set<ZmtpPhase>> = mapOf(
        ZmtpPhase.NEW to setOf(ZmtpPhase.GREETING),
        ZmtpPhase.GREETING to setOf(ZmtpPhase.HANDSHAKE, ZmtpPhase.FAILED),
        ZmtpPhase.HANDSHAKE to setOf(ZmtpPhase.HANDSHAKE, ZmtpPhase.AWAITING_VERDICT, ZmtpPhase.TRAFFIC, ZmtpPhase.FAILED),
        ZmtpPhase.AWAITING_VERDICT to setOf(ZmtpPhase.HANDSHAKE, ZmtpPhase.AWAITING_VERDICT, ZmtpPhase.TRAFFIC, ZmtpPhase.FAILED),
        ZmtpPhase.TRAFFIC to setOf(ZmtpPhase.FAILED),
        ZmtpPhase.FAILED to emptySet(),
    )

    private val KNOWN_ELSEWHERE: List<ByteArray> =
        listOf("READY", "HELLO", "WELCOME", "INITIATE", "MESSAGE", "JOIN", "LEAVE").map { it.encodeToByteArray() }

    /** Returns [to] if the move from [from] is allowed; a disallowed move is a bug in the codec. */
    fun transition(from: ZmtpPhase, to: ZmtpPhase): ZmtpPhase {
        check(to in ALLOWED.getValue(from)) { "illegal ZMTP phase change $from -> $to" }
        return to
    }

    /** The phase a mechanism step leads to (Failed is handled by the caller). */
    fun phaseAfter(status: MechanismStatus): ZmtpPhase = when (status) {
        MechanismStatus.InProgress -> ZmtpPhase.HANDSHAKE
        is MechanismStatus.AwaitingVerdict -> ZmtpPhase.AWAITING_VERDICT
        is MechanismStatus.Done -> ZmtpPhase.TRAFFIC
        is MechanismStatus.Failed -> ZmtpPhase.FAILED
    }

    /**
     * Decides on a frame header in [phase]: null to accept it, or the exception to fail with. [midMessage] is true
     * when the previous message frame had MORE set.
     */
    fun checkHeader(phase: ZmtpPhase, flags: Int, midMessage: Boolean): ZmtpProtocolException? {
        val isCommand = flags and ZmtpFrames.FLAG_COMMAND != 0
        return when {
            !isCommand && phase != ZmtpPhase.TRAFFIC ->
                ZmtpProtocolException(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "message frame before the handshake completed", sendError = true)
            isCommand && midMessage ->
                ZmtpProtocolException(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "command frame inside a multipart message")
            isCommand && flags and ZmtpFrames.FLAG_MORE != 0 ->
                ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "command frame with the MORE flag set", sendError = true)
            else -> null
        }
    }

    /** What to do with [command], received in [phase]. */
    fun commandAction(phase: ZmtpPhase, command: ReceivedCommand): CommandAction {
        if (command.isNamed(Commands.ERROR)) return CommandAction.PEER_ERROR
        return when (phase) {
            ZmtpPhase.HANDSHAKE, ZmtpPhase.AWAITING_VERDICT -> CommandAction.TO_MECHANISM
            ZmtpPhase.TRAFFIC -> when {
                command.isNamed(Commands.PING) -> CommandAction.PING
                command.isNamed(Commands.PONG) -> CommandAction.PONG
                command.isNamed(Commands.SUBSCRIBE) -> CommandAction.SUBSCRIBE
                command.isNamed(Commands.CANCEL) -> CommandAction.CANCEL
                KNOWN_ELSEWHERE.any { command.isNamed(it) } -> CommandAction.UNEXPECTED
                else -> CommandAction.UNKNOWN
            }
            ZmtpPhase.NEW, ZmtpPhase.GREETING, ZmtpPhase.FAILED -> error("no command can arrive in phase $phase")
        }
    }
}
