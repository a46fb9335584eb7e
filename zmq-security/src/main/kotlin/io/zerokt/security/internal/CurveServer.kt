package io.zerokt.security.internal

import io.zerokt.ProtocolError
import io.zerokt.engine.spi.Mechanism
import io.zerokt.engine.spi.MechanismSession
import io.zerokt.engine.spi.MechanismStatus
import io.zerokt.engine.spi.Metadata
import io.zerokt.engine.spi.OutputBuffer
import io.zerokt.engine.spi.ReceivedCommand
import io.zerokt.engine.spi.TrafficCodec
import io.zerokt.engine.spi.ZapReply
import io.zerokt.engine.spi.ZapRequest
import io.zerokt.engine.spi.ZmtpWire
import java.security.MessageDigest

/**
 * The CURVE server (RFC 25/26): waits for HELLO, answers WELCOME with its short-term key S' and a cookie, checks
 * INITIATE (cookie, vouch), asks ZAP with the client's long-term key C, and sends READY.
 *
 * The cookie key K is made fresh for each connection and wiped once INITIATE used it, so cookies cannot be replayed
 * and the key rotates with every handshake (RFC 26 asks for at least once a minute). The short-term secret s' is
 * recovered from the cookie, as RFC 26 describes, and only kept for the traffic key. With no ZAP handler bound any
 * client key is accepted unless ZAP_ENFORCE_DOMAIN is set (libzmq 4.3).
 */
internal class CurveServer(
    private val session: MechanismSession,
    private val publicKey: ByteArray,
    private val secretKey: ByteArray,
    private val enforceZap: Boolean,
) : Mechanism {
    private enum class State { HELLO, INITIATE, ZAP, DONE }

    private var state = State.HELLO
    private var clientShortTerm: ByteArray? = null
    private var cookieKey: ByteArray? = null
    private var precomputed: ByteArray? = null
    private var peerNonce = 0L
    private var nonce = 1L
    private var clientMetadata: Map<String, ByteArray> = emptyMap()

    override fun start(out: OutputBuffer): MechanismStatus = MechanismStatus.InProgress

    override fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus = when (state) {
        State.HELLO -> onHello(command, out)
        State.INITIATE -> onInitiate(command)
        else -> MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} command in state $state")
    }

    private fun onHello(command: ReceivedCommand, out: OutputBuffer): MechanismStatus {
        if (!command.isNamed(CurveWire.HELLO)) return unexpected(command, "HELLO")
        if (command.dataSize != CurveWire.HELLO_DATA) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "HELLO of ${command.dataSize} data octets (194 expected)")
        }
        val b = command.body
        val p = command.dataOffset
        if (b[p].toInt() != 1 || b[p + 1].toInt() != 0) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "CurveZMQ version ${b[p]}.${b[p + 1]} (1.0 expected)")
        }
        val cPrime = b.copyOfRange(p + 74, p + 106)
        val n = CurveWire.readLong(b, p + 106)
        NaCl.open(b, p + 114, 80, NaCl.nonce(CurveWire.HELLO_PREFIX, b, p + 106), NaCl.beforenm(cPrime, secretKey))
            ?: return MechanismStatus.Failed(ProtocolError.ZMTP_CRYPTOGRAPHIC, "HELLO box does not open: the client has another server key")
        peerNonce = n
        clientShortTerm = cPrime

        val (sPrime, sPrimeSecret) = NaCl.keyPair()
        val k = ByteArray(32).also { NaCl.random.nextBytes(it) }
        cookieKey = k
        val cookie = ByteArray(CurveWire.COOKIE)
        val cookieNonce = ByteArray(16).also { NaCl.random.nextBytes(it) }
        System.arraycopy(cookieNonce, 0, cookie, 0, 16)
        NaCl.seal(cookie, 16, cPrime + sPrimeSecret, 0, 64, NaCl.nonce(CurveWire.COOKIE_PREFIX, cookieNonce), k)
        sPrimeSecret.fill(0)

        val welcomeNonce = ByteArray(16).also { NaCl.random.nextBytes(it) }
        ZmtpWire.writeCommandStart(out, CurveWire.WELCOME, CurveWire.WELCOME_DATA)
        out.writeBytes(welcomeNonce)
        val box = ByteArray(144)
        NaCl.seal(box, 0, sPrime + cookie, 0, 128, NaCl.nonce(CurveWire.WELCOME_PREFIX, welcomeNonce), NaCl.beforenm(cPrime, secretKey))
        out.writeBytes(box)
        state = State.INITIATE
        return MechanismStatus.InProgress
    }

    private fun onInitiate(command: ReceivedCommand): MechanismStatus {
        if (!command.isNamed(CurveWire.INITIATE)) return unexpected(command, "INITIATE")
        if (command.dataSize < CurveWire.INITIATE_MIN_DATA) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_MALFORMED_COMMAND_INITIATE, "INITIATE of ${command.dataSize} data octets")
        }
        val b = command.body
        val p = command.dataOffset
        val k = checkNotNull(cookieKey)
        cookieKey = null
        val cookie = NaCl.open(b, p + 16, 80, NaCl.nonce(CurveWire.COOKIE_PREFIX, b, p), k)
        k.fill(0)
        if (cookie == null || !MessageDigest.isEqual(cookie.copyOfRange(0, 32), clientShortTerm)) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_KEY_EXCHANGE, "INITIATE carries a cookie we did not make")
        }
        val sPrimeSecret = cookie.copyOfRange(32, 64)
        cookie.fill(0)
        val n = CurveWire.readLong(b, p + 96)
        if (java.lang.Long.compareUnsigned(n, peerNonce) <= 0) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_INVALID_SEQUENCE, "INITIATE nonce $n is not above HELLO's $peerNonce")
        }
        val cPrime = checkNotNull(clientShortTerm)
        val key = NaCl.beforenm(cPrime, sPrimeSecret)
        val clear = NaCl.open(b, p + 104, command.dataSize - 104, NaCl.nonce(CurveWire.INITIATE_PREFIX, b, p + 96), key)
            ?: return MechanismStatus.Failed(ProtocolError.ZMTP_CRYPTOGRAPHIC, "INITIATE box does not open")
        peerNonce = n
        val clientKey = clear.copyOfRange(0, 32)
        val vouch = NaCl.open(clear, 48, 80, NaCl.nonce(CurveWire.VOUCH_PREFIX, clear, 32), NaCl.beforenm(clientKey, sPrimeSecret))
        sPrimeSecret.fill(0)
        if (vouch == null || !MessageDigest.isEqual(vouch.copyOfRange(0, 32), cPrime) || !MessageDigest.isEqual(vouch.copyOfRange(32, 64), publicKey)) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_KEY_EXCHANGE, "INITIATE vouch does not match the connection's keys")
        }
        clientMetadata = Metadata.parse(clear, 128, clear.size - 128, ProtocolError.ZMTP_INVALID_METADATA)
        precomputed = key
        state = State.ZAP
        return MechanismStatus.AwaitingVerdict(ZapRequest("CURVE", listOf(clientKey)))
    }

    override fun onVerdict(verdict: ZapReply?, out: OutputBuffer): MechanismStatus {
        check(state == State.ZAP) { "no ZAP verdict expected in state $state" }
        if (verdict == null && enforceZap) {
            return MechanismStatus.Failed(ProtocolError.ZAP_UNSPECIFIED, "ZAP_ENFORCE_DOMAIN is set and no ZAP handler is bound", sendError = false, noDetail = true)
        }
        if (verdict != null && !verdict.isAccepted) {
            ZmtpWire.writeError(out, verdict.statusCode)
            return MechanismStatus.Failed(
                ProtocolError.ZAP_UNSPECIFIED,
                "ZAP refused the CURVE client key: ${verdict.statusCode} ${verdict.statusText}".trimEnd(),
                sendError = false,
                authStatusCode = verdict.statusNumber,
            )
        }
        val metadata = session.ourMetadata()
        val plain = OutputBuffer(Metadata.encodedSize(metadata))
        Metadata.write(plain, metadata)
        val n = nonce++
        val box = ByteArray(NaCl.TAG_BYTES + plain.size)
        NaCl.seal(box, 0, plain.array, 0, plain.size, NaCl.nonce(CurveWire.READY_PREFIX, n), checkNotNull(precomputed))
        ZmtpWire.writeCommandStart(out, CurveWire.READY, 8 + box.size)
        out.writeLong(n)
        out.writeBytes(box)
        state = State.DONE
        return MechanismStatus.Done(clientMetadata, verdict?.userId, verdict?.metadata ?: emptyMap())
    }

    override fun trafficCodec(): TrafficCodec =
        CurveCodec(checkNotNull(precomputed), CurveWire.MESSAGE_FROM_SERVER, CurveWire.MESSAGE_FROM_CLIENT, nonce, peerNonce)

    private fun unexpected(command: ReceivedCommand, wanted: String) =
        MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} command while waiting for $wanted")

    override fun toString(): String = "CurveServer($state)"
}
