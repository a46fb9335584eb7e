package io.zerokt.engine.internal.security

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.engine.internal.RealContext
import io.zerokt.engine.spi.Metadata
import io.zerokt.engine.spi.ZapReply
import io.zerokt.engine.spi.ZapRequest
import io.zerokt.engine.spi.ZmtpProtocolException
import io.zerokt.ProtocolError
import kotlinx.coroutines.withTimeoutOrNull
import java.util.concurrent.atomic.AtomicLong

/**
 * The engine's side of ZAP (RFC 27): sends a server mechanism's request to the handler bound at
 * `inproc://zeromq.zap.01` and reads its reply.
 *
 * As in libzmq, each request goes over its own pipe (here: a short-lived DEALER socket of the same context), and
 * "no handler" means nothing is bound to the endpoint when the request is made.
 *
 * ```
 * request: "" | "1.0" | request id | domain | address | identity | mechanism | credentials...
 * reply:   "" | "1.0" | request id | status code | status text | user id | metadata
 * ```
 */
internal object ZapClient {
    /** The endpoint RFC 27 reserves for the ZAP handler. */
    const val ENDPOINT: String = "inproc://zeromq.zap.01"

    private val requestIds = AtomicLong()

    /**
     * Asks the ZAP handler about [request]; returns null when no handler is bound. A reply that breaks RFC 27 or
     * does not come within [timeoutMillis] throws [ZmtpProtocolException] with a ZAP_* error.
     */
    suspend fun ask(
        context: RealContext,
        request: ZapRequest,
        domain: ByteArray,
        address: String,
        identity: ByteArray?,
        timeoutMillis: Long,
    ): ZapReply? {
        if (!context.isInprocBound(ENDPOINT.removePrefix("inproc://"))) return null
        val id = requestIds.incrementAndGet().toString().encodeToByteArray()
        val frames = ArrayList<Frame>(7 + request.credentials.size)
        frames += Frame.EMPTY
        frames += Frame.of(VERSION)
        frames += Frame.of(id)
        frames += Frame.of(domain)
        frames += Frame.of(address.encodeToByteArray())
        frames += Frame.of(identity ?: ByteArray(0))
        frames += Frame.of(request.mechanism.encodeToByteArray())
        request.credentials.forEach { frames += Frame.of(it) }
        val socket = context.socket(SocketType.DEALER)
        try {
            socket.linger = 0
            socket.connect(ENDPOINT)
            socket.send(Message.wrap(frames))
            val reply = withTimeoutOrNull(timeoutMillis.coerceAtLeast(1)) { socket.receive() }
                ?: throw ZmtpProtocolException(ProtocolError.ZAP_UNSPECIFIED, "the ZAP handler did not answer within $timeoutMillis ms")
            return parse(reply, id)
        } finally {
            socket.close()
        }
    }

    /** Checks a reply as libzmq's `zap_client_t::receive_and_process_zap_reply` does. */
    fun parse(reply: Message, id: ByteArray): ZapReply {
        if (reply.size != 7) throw malformed(ProtocolError.ZAP_MALFORMED_REPLY, "ZAP reply of ${reply.size} frames (7 expected)")
        if (reply[0].size != 0) throw malformed(ProtocolError.ZAP_MALFORMED_REPLY, "ZAP reply without an empty delimiter")
        if (!reply[1].toByteArray().contentEquals(VERSION)) throw malformed(ProtocolError.ZAP_BAD_VERSION, "ZAP reply version is not 1.0")
        if (!reply[2].toByteArray().contentEquals(id)) throw malformed(ProtocolError.ZAP_BAD_REQUEST_ID, "ZAP reply for another request")
        val status = reply[3].decodeToString()
        if (status !in STATUS_CODES) throw malformed(ProtocolError.ZAP_INVALID_STATUS_CODE, "ZAP status code \"${status.take(8)}\"")
        val metaBytes = reply[6].toByteArray()
        val metadata = Metadata.parse(metaBytes, 0, metaBytes.size, ProtocolError.ZAP_INVALID_METADATA)
        return ZapReply(status, reply[4].decodeToString(), reply[5].toByteArray(), metadata)
    }

    private fun malformed(error: ProtocolError, why: String) = ZmtpProtocolException(error, why, sendError = true)

    private val VERSION = "1.0".encodeToByteArray()
    private val STATUS_CODES = setOf("200", "300", "400", "500")
}
