package io.zerokt.engine.internal.zmtp

import io.zerokt.engine.spi.*
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.MessageMetadata
import io.zerokt.ProtocolError
import io.zerokt.SocketType

/**
 * One ZMTP 3.1 connection as a sans-I/O state machine: bytes and time go in, events, bytes to write and the next
 * deadline come out. No sockets, threads, coroutines or clocks inside (h11's `Connection`, quinn-proto's
 * `Connection`). Phases and admission rules are in [ZmtpState]; the frame layout is drawn in [ZmtpFrames].
 *
 * ## Driving it
 * A driver (the Ktor or io_uring engine) does, in a loop:
 * 1. [start] once, when the transport is connected;
 * 2. [receive] every chunk read from the transport (any size, split anywhere), or [endOfInput] at end of stream;
 * 3. [pollEvent] until null, acting on each [ZmtpEvent];
 * 4. [drainOutput] into its write buffer when [hasPendingOutput], and [encodeMessage]/[encodeSubscription] for
 *    application traffic once [ZmtpEvent.HandshakeSucceeded] was seen; then write the buffer;
 * 5. arm a timer for [pollTimeout] and call [handleTimeout] when it fires (then go to 3 and 4);
 * 6. if [pollMechanismRequest] returns a request (ZAP, for PLAIN/CURVE servers), answer it later with
 *    [supplyMechanismVerdict].
 * After [ZmtpEvent.Failed], drain and write the pending output (it may hold an ERROR command), then close.
 *
 * ## Errors
 * Anything the peer does wrong becomes one [ZmtpEvent.Failed] and never an exception. Calling this class wrongly
 * (receive before start, encode before the handshake) throws [IllegalStateException]: that is a driver bug.
 *
 * ## Allocation
 * Per received message frame: its body array and its [Frame]; per message: its frame list and [Message]
 * (and a [ZmtpEvent.MessageReceived] only when it is taken through [pollEvent], not [drainEvents]). Bodies are
 * copied once from the input. Encoding writes straight into the caller's [OutputBuffer].
 *
 * Not thread-safe: one driver owns it. Test it through the test `ZmtpPair` (two connections joined in memory with a
 * virtual clock) or by feeding raw bytes and reading the events.
 */
internal class ZmtpConnection(private val config: ZmtpConfig) {
    private var phase = ZmtpPhase.NEW
    private val greeting = GreetingDecoder(config.mechanism.name)
    private val decoder = FrameDecoder(Sink())
    private val pending = OutputBuffer(256)
    /** Pending events in wire order: a received message as its [Message], anything else as its [ZmtpEvent]. */
    private val events = ArrayDeque<Any>()
    private val timers = ZmtpTimers(config)
    private var mechanism: Mechanism? = null
    private var trafficCodec: TrafficCodec? = null
    private var mechanismRequest: ZapRequest? = null
    private var parts: ArrayList<Frame>? = null
    private var inputEnded = false
    private var now = 0L
    private var handshakeDone = false
    private var messageMetadata: MessageMetadata? = null

    /** True once [ZmtpEvent.HandshakeSucceeded] was queued (it stays true if the connection fails later). */
    val isHandshakeComplete: Boolean get() = handshakeDone

    /** True once [ZmtpEvent.Failed] was queued. */
    val isFailed: Boolean get() = phase == ZmtpPhase.FAILED

    /** 0 for a ZMTP 3.0 peer, 1 for 3.1 or later; valid once the peer's greeting arrived (0 before). */
    var peerMinorVersion: Int = 0
        private set

    /** Queues our greeting (3.1, our mechanism, as-server) and starts the handshake clock at [nowMillis]. */
    fun start(nowMillis: Long) {
        check(phase == ZmtpPhase.NEW) { "start() called twice (phase $phase)" }
        now = nowMillis
        phase = ZmtpState.transition(phase, ZmtpPhase.GREETING)
        Greeting.write(pending, config.mechanism.name, config.asServer && config.mechanism.hasServerRole)
        timers.onStart(nowMillis)
    }

    /**
     * Consumes all of `src[offset until offset + length]`, decoding as many frames as it completes and buffering the
     * rest. Events are queued for [pollEvent]; replies (READY, PONG, ERROR) for [drainOutput]. Any received byte
     * counts as a sign of life for the heartbeat timers. Bytes after a failure are ignored.
     */
    fun receive(src: ByteArray, offset: Int, length: Int, nowMillis: Long) {
        if (offset < 0 || length < 0 || offset + length > src.size) {
            throw IndexOutOfBoundsException("offset=$offset length=$length array size=${src.size}")
        }
        check(phase != ZmtpPhase.NEW) { "receive() before start()" }
        check(!inputEnded) { "receive() after endOfInput()" }
        if (phase == ZmtpPhase.FAILED || length == 0) return
        now = nowMillis
        timers.onBytesReceived()
        try {
            var p = offset
            var left = length
            if (phase == ZmtpPhase.GREETING) {
                val n = greeting.feed(src, p, left)
                p += n
                left -= n
                if (greeting.isComplete) onGreetingComplete()
            }
            if (left > 0) decoder.decode(src, p, left)
        } catch (e: ZmtpProtocolException) {
            fail(e)
        }
    }

    /**
     * The transport reached end of stream. In the middle of the greeting, a frame, a multipart message or the
     * handshake this is [ProtocolError.TRUNCATED]; between messages after the handshake it is a clean close (no
     * event). [receive] must not be called afterwards.
     */
    fun endOfInput(nowMillis: Long) {
        if (inputEnded) return
        inputEnded = true
        if (phase == ZmtpPhase.NEW || phase == ZmtpPhase.FAILED) return
        now = nowMillis
        val where = when {
            phase == ZmtpPhase.GREETING -> "the greeting"
            !decoder.isAtFrameBoundary -> "a frame"
            parts != null -> "a multipart message"
            !handshakeDone -> "the handshake"
            else -> return
        }
        fail(ZmtpProtocolException(ProtocolError.TRUNCATED, "stream ended in the middle of $where"))
    }

    /** The next event, or null when none is pending (then more input or a timeout is needed). */
    fun pollEvent(): ZmtpEvent? = when (val e = events.removeFirstOrNull()) {
        null -> null
        is Message -> ZmtpEvent.MessageReceived(e)
        else -> e as ZmtpEvent
    }

    /**
     * Moves every pending event to [into], in order: a received message as its [Message] itself, anything else as
     * its [ZmtpEvent]. The driver's hot path: one call per read instead of one [pollEvent] (and its lock) per
     * message, and no [ZmtpEvent.MessageReceived] to allocate.
     */
    fun drainEvents(into: MutableList<Any>) {
        // One by one: addAll would copy the deque into a fresh array at every read.
        while (true) into.add(events.removeFirstOrNull() ?: return)
    }

    /** True when protocol bytes (greeting, READY, PONG, PING, ERROR...) wait for [drainOutput]. */
    fun hasPendingOutput(): Boolean = !pending.isEmpty

    /** Appends all pending protocol bytes to [out]. */
    fun drainOutput(out: OutputBuffer) {
        if (pending.isEmpty) return
        out.writeBuffer(pending)
        pending.clear()
    }

    /**
     * Appends [message] to [out]: every frame, MORE on all but the last, short or long size as needed. Pending
     * protocol output is appended first, so the wire order is always right.
     *
     * @throws IllegalStateException before [ZmtpEvent.HandshakeSucceeded] or after [ZmtpEvent.Failed].
     */
    fun encodeMessage(message: Message, out: OutputBuffer) {
        checkTraffic("encodeMessage")
        drainOutput(out)
        val last = message.size - 1
        val codec = trafficCodec
        if (codec == null) {
            for (i in 0..last) ZmtpFrames.writeMessageFrame(out, message, i, i < last)
        } else {
            for (i in 0..last) codec.encodeMessageFrame(message[i], i < last, out)
        }
    }

    /**
     * Appends a subscription change for [topic] to [out]: a SUBSCRIBE or CANCEL command to a 3.1 peer, the ZMTP 3.0
     * message form (`\x01topic` or `\x00topic`, RFC 23) to a 3.0 peer. Pending protocol output goes first.
     *
     * @throws IllegalStateException before [ZmtpEvent.HandshakeSucceeded] or after [ZmtpEvent.Failed].
     */
    fun encodeSubscription(topic: ByteArray, subscribe: Boolean, out: OutputBuffer) {
        checkTraffic("encodeSubscription")
        drainOutput(out)
        if (peerMinorVersion >= 1) {
            writeTrafficCommand(out, if (subscribe) Commands.SUBSCRIBE else Commands.CANCEL, topic, 0, topic.size)
        } else {
            val body = ByteArray(1 + topic.size)
            body[0] = if (subscribe) 1 else 0
            System.arraycopy(topic, 0, body, 1, topic.size)
            val codec = trafficCodec
            if (codec == null) ZmtpFrames.writeMessageFrame(out, Frame.wrap(body), false)
            else codec.encodeMessageFrame(Frame.wrap(body), false, out)
        }
    }

    /**
     * Runs the timers due at [nowMillis]: handshake deadline (HANDSHAKE_TIMEOUT), PING timeout and peer TTL
     * (HEARTBEAT_TIMEOUT), and queues a PING when one is due. Calling it early or often is harmless.
     */
    fun handleTimeout(nowMillis: Long) {
        if (phase == ZmtpPhase.NEW || phase == ZmtpPhase.FAILED) return
        now = nowMillis
        when {
            !handshakeDone && nowMillis >= timers.handshakeDeadline -> fail(
                ZmtpProtocolException(ProtocolError.HANDSHAKE_TIMEOUT, "handshake not done within ${config.handshakeIvlMillis} ms"),
            )
            nowMillis >= timers.pingTimeoutAt -> fail(
                ZmtpProtocolException(ProtocolError.HEARTBEAT_TIMEOUT, "nothing received within ${config.effectiveHeartbeatTimeoutMillis} ms of our PING"),
            )
            nowMillis >= timers.ttlDeadline -> fail(
                ZmtpProtocolException(ProtocolError.HEARTBEAT_TIMEOUT, "nothing received within the TTL of the peer's PING"),
            )
            nowMillis >= timers.nextPingAt -> {
                val ttl = minOf(config.heartbeatTtlMillis / 100, 0xFFFF)
                writeTrafficCommand(pending, Commands.PING, byteArrayOf((ttl ushr 8).toByte(), ttl.toByte()), 0, 2)
                timers.onPingSent(nowMillis)
            }
        }
    }

    /** The earliest absolute deadline (millis) at which [handleTimeout] must run, or null when none is armed. */
    fun pollTimeout(): Long? {
        if (phase == ZmtpPhase.NEW || phase == ZmtpPhase.FAILED) return null
        val next = timers.next()
        return if (next == ZmtpTimers.NONE) null else next
    }

    /**
     * The request of a mechanism that waits for an outside verdict (a ZAP request for PLAIN/CURVE), returned once;
     * null when there is none. NULL never makes one.
     */
    fun pollMechanismRequest(): ZapRequest? = mechanismRequest.also { mechanismRequest = null }

    /** Feeds the ZAP [verdict] (null: no handler bound) to the waiting mechanism; it may complete or fail the handshake. */
    fun supplyMechanismVerdict(verdict: ZapReply?, nowMillis: Long) {
        if (phase == ZmtpPhase.FAILED) return
        check(phase == ZmtpPhase.AWAITING_VERDICT) { "no mechanism verdict expected in phase $phase" }
        now = nowMillis
        try {
            phase = ZmtpState.transition(phase, ZmtpPhase.HANDSHAKE)
            applyMechanismStatus(checkNotNull(mechanism).onVerdict(verdict, pending))
        } catch (e: ZmtpProtocolException) {
            fail(e)
        }
    }

    /**
     * The driver could not get the verdict the mechanism waits for (the ZAP handler's reply broke RFC 27 or never
     * came): fails the handshake with [error], sending ERROR to the peer.
     */
    fun failMechanismVerdict(error: ProtocolError, reason: String, nowMillis: Long) {
        if (phase == ZmtpPhase.FAILED) return
        check(phase == ZmtpPhase.AWAITING_VERDICT) { "no mechanism verdict expected in phase $phase" }
        now = nowMillis
        fail(ZmtpProtocolException(error, reason, sendError = true))
    }

    override fun toString(): String = "ZmtpConnection(${config.socketType}, $phase, 3.$peerMinorVersion)"

    private fun checkTraffic(what: String) {
        check(phase == ZmtpPhase.TRAFFIC) { "$what() in phase $phase: only after HandshakeSucceeded and before Failed" }
    }

    private fun onGreetingComplete() {
        peerMinorVersion = greeting.peerMinorVersion
        phase = ZmtpState.transition(phase, ZmtpPhase.HANDSHAKE)
        val session = MechanismSession(
            config.socketType, config.routingId, config.asServer, greeting.peerAsServer, peerMinorVersion, config.extraMetadata,
        )
        val m = config.mechanism.create(session)
        mechanism = m
        applyMechanismStatus(m.start(pending))
    }

    private fun applyMechanismStatus(status: MechanismStatus) {
        when (status) {
            is MechanismStatus.Failed ->
                throw ZmtpProtocolException(status.error, status.reason, status.sendError, status.authStatusCode, status.noDetail)
            is MechanismStatus.Done -> completeHandshake(status)
            is MechanismStatus.AwaitingVerdict -> {
                mechanismRequest = status.request
                phase = ZmtpState.transition(phase, ZmtpState.phaseAfter(status))
            }
            // A command handled while the mechanism waits for its verdict keeps it waiting.
            MechanismStatus.InProgress -> if (phase != ZmtpPhase.AWAITING_VERDICT) phase = ZmtpState.transition(phase, ZmtpPhase.HANDSHAKE)
        }
    }

    /** Checks the peer's metadata (RFC 23 "Socket-Type", "Identity") and moves to traffic. */
    private fun completeHandshake(done: MechanismStatus.Done) {
        val metadata = done.peerMetadata
        val typeBytes = metadata[Metadata.SOCKET_TYPE]
            ?: throw ZmtpProtocolException(ProtocolError.ZMTP_INVALID_METADATA, "peer sent no Socket-Type", sendError = true)
        val typeName = String(typeBytes, Charsets.ISO_8859_1)
        val peerType = SocketType.fromZmtpName(typeName)
            ?: throw ZmtpProtocolException(ProtocolError.ZMTP_INVALID_METADATA, "unknown Socket-Type \"${typeName.take(32)}\"", sendError = true)
        if (!config.socketType.isCompatibleWith(peerType)) {
            throw ZmtpProtocolException(
                ProtocolError.ZMTP_INVALID_METADATA,
                "${config.socketType.zmtpName} does not accept ${peerType.zmtpName} peers",
                sendError = true,
            )
        }
        val identity = metadata[Metadata.IDENTITY]
        if (identity != null && identity.size > 255) {
            throw ZmtpProtocolException(ProtocolError.ZMTP_INVALID_METADATA, "Identity of ${identity.size} octets (255 at most)", sendError = true)
        }
        val routingId = if (peerType.sendsIdentity() && identity != null && identity.isNotEmpty()) identity else null
        messageMetadata = messageMetadataOf(done)
        phase = ZmtpState.transition(phase, ZmtpPhase.TRAFFIC)
        handshakeDone = true
        trafficCodec = checkNotNull(mechanism).trafficCodec()
        timers.onHandshakeComplete(now, pingsAllowed = peerMinorVersion >= 1)
        events.addLast(ZmtpEvent.HandshakeSucceeded(peerType, routingId, metadata, peerMinorVersion, done.userId, done.zapMetadata))
    }

    /** One metadata object for every message of this connection: handshake properties, ZAP reply, User-Id, address. */
    private fun messageMetadataOf(done: MechanismStatus.Done): MessageMetadata {
        val m = LinkedHashMap<String, String>()
        for ((k, v) in done.peerMetadata) m[k] = String(v, Charsets.UTF_8)
        for ((k, v) in done.zapMetadata) m[k] = String(v, Charsets.UTF_8)
        done.userId?.let { m[MessageMetadata.USER_ID] = String(it, Charsets.UTF_8) }
        config.peerAddress?.let { m[MessageMetadata.PEER_ADDRESS] = it }
        return MessageMetadata(m)
    }

    private fun fail(e: ZmtpProtocolException) {
        if (phase == ZmtpPhase.FAILED) return
        val inHandshake = phase == ZmtpPhase.HANDSHAKE || phase == ZmtpPhase.AWAITING_VERDICT
        if (e.sendError && inHandshake) Commands.writeError(pending, e.reason)
        phase = ZmtpState.transition(phase, ZmtpPhase.FAILED)
        parts = null
        mechanismRequest = null
        timers.clear()
        events.addLast(ZmtpEvent.Failed(e.error, e.reason, !handshakeDone, e.authStatusCode, e.noDetail))
    }

    /** Writes a command in traffic framing (through the mechanism's codec when it has one). */
    private fun writeTrafficCommand(out: OutputBuffer, name: ByteArray, data: ByteArray, off: Int, len: Int) {
        val codec = trafficCodec
        if (codec == null) {
            ZmtpFrames.writeCommand(out, name, data, off, len)
        } else {
            val body = ByteArray(1 + name.size + len)
            body[0] = name.size.toByte()
            System.arraycopy(name, 0, body, 1, name.size)
            System.arraycopy(data, off, body, 1 + name.size, len)
            codec.encodeCommand(body, 0, body.size, out)
        }
    }

    private fun frameLimit(isCommand: Boolean): Long {
        val max = config.maxMessageSize
        return when {
            isCommand && phase != ZmtpPhase.TRAFFIC -> checkNotNull(mechanism).maxHandshakeCommandSize.toLong()
            isCommand -> if (max < 0) ZmtpFrames.MAX_FRAME_SIZE.toLong() else maxOf(max, Mechanism.DEFAULT_MAX_HANDSHAKE_COMMAND.toLong())
            else -> if (max < 0) ZmtpFrames.MAX_FRAME_SIZE.toLong() else max
        }
    }

    private fun checkFrame(flags: Int, size: Int) {
        ZmtpState.checkHeader(phase, flags, parts != null)?.let { throw it }
        val limit = frameLimit(flags and ZmtpFrames.FLAG_COMMAND != 0)
        if (size > limit) {
            throw ZmtpProtocolException(ProtocolError.MESSAGE_TOO_LARGE, "frame of $size octets exceeds the limit of $limit", sendError = true)
        }
    }

    private fun onClearFrame(flags: Int, body: ByteArray) {
        if (flags and ZmtpFrames.FLAG_COMMAND != 0) {
            if (!handshakeDone) LibzmqQuirks.brokenErrorReason(body)?.let { throw peerError(it) }
            onCommand(ReceivedCommand(body))
            return
        }
        timers.onTrafficAfterPing()
        val list = parts
        if (flags and ZmtpFrames.FLAG_MORE != 0) {
            (list ?: ArrayList<Frame>(4).also { parts = it }).add(Frame.wrap(body))
        } else if (list == null) {
            // A single-frame message: one object beside its bytes.
            events.addLast(Message.wrap(body, messageMetadata))
        } else {
            list.add(Frame.wrap(body))
            parts = null
            events.addLast(Message.wrap(list, messageMetadata))
        }
    }

    private fun onCommand(command: ReceivedCommand) {
        val action = ZmtpState.commandAction(phase, command)
        if (action != CommandAction.PING) timers.onTrafficAfterPing()
        when (action) {
            CommandAction.TO_MECHANISM -> applyMechanismStatus(checkNotNull(mechanism).onCommand(command, pending))
            CommandAction.PEER_ERROR -> throw peerError(Commands.parseErrorReason(command))
            CommandAction.PING -> onPing(command)
            CommandAction.PONG -> if (command.dataSize > Commands.MAX_PING_CONTEXT) {
                throw ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "PONG context of ${command.dataSize} octets (16 at most)")
            }
            CommandAction.SUBSCRIBE -> events.addLast(ZmtpEvent.Subscribe(command.dataCopy()))
            CommandAction.CANCEL -> events.addLast(ZmtpEvent.Cancel(command.dataCopy()))
            CommandAction.UNEXPECTED ->
                throw ZmtpProtocolException(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ${command.name} command after the handshake")
            CommandAction.UNKNOWN ->
                throw ZmtpProtocolException(ProtocolError.UNKNOWN_COMMAND, "unknown command ${command.name}")
        }
    }

    /** The peer's ERROR; a server mechanism refusing us sends the ZAP status code as the reason (HANDSHAKE_FAILED_AUTH). */
    private fun peerError(reason: String): ZmtpProtocolException {
        val status = if (!handshakeDone && reason.length == 3 && reason[0] in '3'..'5') reason.toIntOrNull() ?: 0 else 0
        return ZmtpProtocolException(ProtocolError.PEER_ERROR, "peer sent ERROR: $reason", authStatusCode = status)
    }

    /** RFC 37: answer with a PONG echoing the context; a non-zero TTL arms the TTL deadline. */
    private fun onPing(command: ReceivedCommand) {
        val n = command.dataSize
        if (n < 2 || n > 2 + Commands.MAX_PING_CONTEXT) {
            throw ZmtpProtocolException(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "PING with $n data octets (2..18 allowed)")
        }
        val body = command.body
        val p = command.dataOffset
        val ttlDeciseconds = ((body[p].toInt() and 0xFF) shl 8) or (body[p + 1].toInt() and 0xFF)
        writeTrafficCommand(pending, Commands.PONG, body, p + 2, n - 2)
        timers.onPingReceived(now, ttlDeciseconds * 100L)
    }

    /** Receives the decoder's frames; with a traffic codec, unwraps them first. */
    private inner class Sink : FrameSink {
        override fun onFrameHeader(flags: Int, size: Int) {
            val codec = trafficCodec
            if (codec == null) {
                checkFrame(flags, size)
            } else if (size > codec.maxWireFrameSize(config.maxMessageSize)) {
                throw ZmtpProtocolException(ProtocolError.MESSAGE_TOO_LARGE, "wire frame of $size octets is too large")
            }
        }

        override fun onFrame(flags: Int, body: ByteArray) {
            val codec = trafficCodec
            if (codec == null) {
                onClearFrame(flags, body)
            } else {
                val clear = codec.decodeFrame(flags, body)
                checkFrame(clear.flags, clear.body.size)
                onClearFrame(clear.flags, clear.body)
            }
        }
    }
}
