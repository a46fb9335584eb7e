package io.zerokt.security.internal

import io.zerokt.ProtocolError
import io.zerokt.engine.spi.Mechanism
import io.zerokt.engine.spi.MechanismSession
import io.zerokt.engine.spi.MechanismStatus
import io.zerokt.engine.spi.Metadata
import io.zerokt.engine.spi.OutputBuffer
import io.zerokt.engine.spi.ReceivedCommand
import io.zerokt.engine.spi.TrafficCodec
import io.zerokt.engine.spi.ZmtpProtocolException
import io.zerokt.engine.spi.ZmtpWire

/**
 * The CURVE client (RFC 25/26): `C:HELLO S:WELCOME C:INITIATE S:READY`, then MESSAGE traffic.
 *
 * It makes a fresh short-term key pair (C', c') per connection, proves it knows the server's long-term key S by
 * sending a HELLO box only S can open, and vouches for C' with its long-term key C in INITIATE. Short nonces start
 * at 1 (HELLO), as libzmq's.
 */
internal class CurveClient(
    private val session: MechanismSession,
    private val publicKey: ByteArray,
    private val secretKey: ByteArray,
    private val serverKey: ByteArray,
) : Mechanism {
    private enum class State { WELCOME, READY, DONE }

    private var state = State.WELCOME
    private val shortTerm = NaCl.keyPair()
    private var nonce = 1L
    private var serverShortTerm: ByteArray? = null
    private var precomputed: ByteArray? = null
    private var peerNonce = 0L

    override fun start(out: OutputBuffer): MechanismStatus {
        val n = nonce++
        val box = ByteArray(80)
        val key = NaCl.beforenm(serverKey, shortTerm.second)
        NaCl.seal(box, 0, ByteArray(64), 0, 64, NaCl.nonce(CurveWire.HELLO_PREFIX, n), key)
        ZmtpWire.writeCommandStart(out, CurveWire.HELLO, CurveWire.HELLO_DATA)
        out.writeByte(1)
        out.writeByte(0)
        out.writeBytes(ByteArray(72))
        out.writeBytes(shortTerm.first)
        out.writeLong(n)
        out.writeBytes(box)
        return MechanismStatus.InProgress
    }

    override fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus = when (state) {
        State.WELCOME -> onWelcome(command, out)
        State.READY -> onReady(command)
        State.DONE -> MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} after the CURVE handshake")
    }

    private fun onWelcome(command: ReceivedCommand, out: OutputBuffer): MechanismStatus {
        if (!command.isNamed(CurveWire.WELCOME)) return unexpected(command, "WELCOME")
        if (command.dataSize != CurveWire.WELCOME_DATA) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_MALFORMED_COMMAND_WELCOME, "WELCOME of ${command.dataSize} data octets (160 expected)")
        }
        val b = command.body
        val p = command.dataOffset
        val clear = NaCl.open(b, p + 16, 144, NaCl.nonce(CurveWire.WELCOME_PREFIX, b, p), NaCl.beforenm(serverKey, shortTerm.second))
            ?: return MechanismStatus.Failed(ProtocolError.ZMTP_CRYPTOGRAPHIC, "WELCOME box does not open: wrong server key?")
        val sPrime = clear.copyOfRange(0, 32)
        val cookie = clear.copyOfRange(32, 128)
        serverShortTerm = sPrime
        val key = NaCl.beforenm(sPrime, shortTerm.second)
        precomputed = key

        val vouchNonce = ByteArray(16).also { NaCl.random.nextBytes(it) }
        val vouch = ByteArray(CurveWire.VOUCH)
        System.arraycopy(vouchNonce, 0, vouch, 0, 16)
        NaCl.seal(vouch, 16, shortTerm.first + serverKey, 0, 64, NaCl.nonce(CurveWire.VOUCH_PREFIX, vouchNonce), NaCl.beforenm(sPrime, secretKey))

        val metadata = session.ourMetadata()
        val metaSize = Metadata.encodedSize(metadata)
        val plain = OutputBuffer(32 + CurveWire.VOUCH + metaSize)
        plain.writeBytes(publicKey)
        plain.writeBytes(vouch)
        Metadata.write(plain, metadata)
        val n = nonce++
        val box = ByteArray(NaCl.TAG_BYTES + plain.size)
        NaCl.seal(box, 0, plain.array, 0, plain.size, NaCl.nonce(CurveWire.INITIATE_PREFIX, n), key)
        ZmtpWire.writeCommandStart(out, CurveWire.INITIATE, CurveWire.COOKIE + 8 + box.size)
        out.writeBytes(cookie)
        out.writeLong(n)
        out.writeBytes(box)
        state = State.READY
        return MechanismStatus.InProgress
    }

    private fun onReady(command: ReceivedCommand): MechanismStatus {
        if (!command.isNamed(CurveWire.READY)) return unexpected(command, "READY")
        if (command.dataSize < CurveWire.READY_MIN_DATA) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_MALFORMED_COMMAND_READY, "READY of ${command.dataSize} data octets")
        }
        val b = command.body
        val p = command.dataOffset
        val n = CurveWire.readLong(b, p)
        if (java.lang.Long.compareUnsigned(n, peerNonce) <= 0) {
            return MechanismStatus.Failed(ProtocolError.ZMTP_INVALID_SEQUENCE, "READY nonce $n out of sequence")
        }
        val clear = NaCl.open(b, p + 8, command.dataSize - 8, NaCl.nonce(CurveWire.READY_PREFIX, b, p), checkNotNull(precomputed))
            ?: return MechanismStatus.Failed(ProtocolError.ZMTP_CRYPTOGRAPHIC, "READY box does not open")
        peerNonce = n
        val properties = Metadata.parse(clear, 0, clear.size, ProtocolError.ZMTP_INVALID_METADATA)
        state = State.DONE
        return MechanismStatus.Done(properties)
    }

    override fun trafficCodec(): TrafficCodec =
        CurveCodec(checkNotNull(precomputed), CurveWire.MESSAGE_FROM_CLIENT, CurveWire.MESSAGE_FROM_SERVER, nonce, peerNonce)

    private fun unexpected(command: ReceivedCommand, wanted: String) =
        MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} command while waiting for $wanted")

    override fun toString(): String = "CurveClient($state)"
}

/** Thrown for a CURVE socket whose keys are missing: the handshake fails without sending anything. */
internal fun missingKey(what: String): ZmtpProtocolException =
    ZmtpProtocolException(ProtocolError.ZMTP_KEY_EXCHANGE, "CURVE needs $what", sendError = false)
