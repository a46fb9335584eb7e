package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.ProtocolError
import io.zerokt.SocketType

/**
 * The [Mechanism] seam, exercised with small fake mechanisms shaped like PLAIN (an outside verdict during the
 * handshake) and CURVE (every traffic frame wrapped in a MESSAGE command), plus [OutputBuffer]'s own contract.
 */
internal class ZmtpMechanismSeamTest : FunSpec({
    /** Sends READY, then waits for a verdict on the peer's READY ("PLAIN with ZAP" in miniature). */
    class VerdictMechanism(private val session: MechanismSession, private val codec: TrafficCodec?) : Mechanism {
        private var peer: Map<String, ByteArray> = emptyMap()

        override fun start(out: OutputBuffer): MechanismStatus {
            Commands.writeReady(out, session.ourMetadata())
            return MechanismStatus.InProgress
        }

        override fun onCommand(command: ReceivedCommand, out: OutputBuffer): MechanismStatus {
            if (!command.isNamed(Commands.READY)) return MechanismStatus.Failed(ProtocolError.ZMTP_UNEXPECTED_COMMAND, command.name)
            peer = Metadata.parse(command.body, command.dataOffset, command.dataSize, ProtocolError.ZMTP_MALFORMED_COMMAND_READY)
            return MechanismStatus.AwaitingVerdict(ZapRequest("X-TEST", listOf("may I?".encodeToByteArray())))
        }

        override fun onVerdict(verdict: ZapReply?, out: OutputBuffer): MechanismStatus =
            if (verdict?.isAccepted == true) MechanismStatus.Done(peer) else MechanismStatus.Failed(ProtocolError.ZAP_UNSPECIFIED, "denied")

        override fun trafficCodec(): TrafficCodec? = codec
    }

    /** Wraps every clear frame in a MESSAGE command whose first data octet is the clear flags, body XOR 0x5A. */
    class XorCodec : TrafficCodec {
        private val name = "MESSAGE".encodeToByteArray()

        override fun maxWireFrameSize(maxMessageSize: Long): Long = 1 shl 20

        override fun encodeMessageFrame(frame: Frame, more: Boolean, out: OutputBuffer) =
            wrap(if (more) ZmtpFrames.FLAG_MORE else 0, frame.toByteArray(), 0, frame.size, out)

        override fun encodeCommand(body: ByteArray, off: Int, len: Int, out: OutputBuffer) =
            wrap(ZmtpFrames.FLAG_COMMAND, body, off, len, out)

        private fun wrap(flags: Int, body: ByteArray, off: Int, len: Int, out: OutputBuffer) {
            val data = ByteArray(1 + len)
            data[0] = flags.toByte()
            for (i in 0 until len) data[1 + i] = (body[off + i].toInt() xor 0x5A).toByte()
            ZmtpFrames.writeCommand(out, name, data, 0, data.size)
        }

        override fun decodeFrame(wireFlags: Int, wireBody: ByteArray): DecodedFrame {
            val cmd = ReceivedCommand(wireBody)
            if (wireFlags and ZmtpFrames.FLAG_COMMAND == 0 || !cmd.isNamed(name) || cmd.dataSize < 1) {
                throw ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "not a MESSAGE")
            }
            val p = cmd.dataOffset
            return DecodedFrame(wireBody[p].toInt(), ByteArray(cmd.dataSize - 1) { (wireBody[p + 1 + it].toInt() xor 0x5A).toByte() })
        }
    }

    val yes = ZapReply("200", "OK", ByteArray(0), emptyMap())
    val no = ZapReply("400", "No", ByteArray(0), emptyMap())

    fun factory(codec: () -> TrafficCodec?) = object : MechanismFactory {
        override val name = "X-TEST"
        override fun create(session: MechanismSession): Mechanism = VerdictMechanism(session, codec())
    }

    fun cfg(type: SocketType, f: MechanismFactory, heartbeatIvl: Int = 0) =
        ZmtpConfig(type, null, false, f, -1, heartbeatIvl, 0, -1, 0)

    test("a mechanism waiting for a verdict holds the handshake until the verdict is supplied") {
        val f = factory { null }
        val pair = ZmtpPair(cfg(SocketType.DEALER, f), cfg(SocketType.ROUTER, f)).start()
        pair.aEvents.shouldBeEmpty()
        pair.a.pollMechanismRequest()!!.credentials.single().decodeToString() shouldBe "may I?"
        pair.a.pollMechanismRequest() shouldBe null
        pair.a.supplyMechanismVerdict(yes, 0)
        pair.a.pollEvent().shouldBeInstanceOf<ZmtpEvent.HandshakeSucceeded>().peerSocketType shouldBe SocketType.ROUTER
    }

    test("a negative verdict fails the handshake and queues ERROR") {
        val f = factory { null }
        val pair = ZmtpPair(cfg(SocketType.DEALER, f), cfg(SocketType.ROUTER, f)).start()
        pair.b.pollMechanismRequest()!!.mechanism shouldBe "X-TEST"
        pair.b.supplyMechanismVerdict(no, 0)
        pair.b.pollEvent().shouldBeInstanceOf<ZmtpEvent.Failed>().error shouldBe ProtocolError.ZAP_UNSPECIFIED
        pair.b.hasPendingOutput() shouldBe true
        pair.drive()
        pair.aEvents.single().shouldBeInstanceOf<ZmtpEvent.Failed>().reason shouldBe "peer sent ERROR: denied"
    }

    test("a traffic codec carries messages, subscriptions and heartbeats inside MESSAGE commands") {
        val f = factory { XorCodec() }
        val pair = ZmtpPair(cfg(SocketType.XSUB, f, heartbeatIvl = 1000), cfg(SocketType.XPUB, f, heartbeatIvl = 1000)).start()
        pair.a.supplyMechanismVerdict(yes, 0)
        pair.b.supplyMechanismVerdict(yes, 0)
        pair.drive()
        val m = Message(Frame.of("a"), Frame.wrap(ByteArray(1000) { 7 }), Frame.EMPTY)
        pair.sendFromB(m)
        pair.subscribeFromA("t".encodeToByteArray())
        pair.advanceTo(10_000)
        pair.aEvents.map { it.describe() }.drop(1) shouldBe listOf(ZmtpEvent.MessageReceived(m).describe())
        pair.bEvents.map { it.describe() }.drop(1) shouldBe listOf("Subscribe(74)")
    }

    test("OutputBuffer grows, writes big-endian and discards a written prefix") {
        val b = OutputBuffer(0)
        b.writeByte(0x1FF)
        b.writeShort(0x0102)
        b.writeInt(0x03040506)
        b.writeLong(0x0708090A0B0C0D0EL)
        b.toByteArray() shouldBe ZmtpTestWire.hex("ff 0102 03040506 0708090a0b0c0d0e")
        b.discardFirst(3)
        b.toByteArray() shouldBe ZmtpTestWire.hex("03040506 0708090a0b0c0d0e")
        b.clear()
        b.size shouldBe 0
    }
})
