package io.zerokt.engine.spi

/**
 * What a server mechanism asks the ZAP handler (RFC 27): the [mechanism] name (`"PLAIN"`, `"CURVE"`, `"NULL"`) and
 * its [credentials] frames (PLAIN: username, password; CURVE: the client's 32-byte long-term public key).
 *
 * The engine adds the rest of the request (version `1.0`, request id, ZAP_DOMAIN, the peer's address, our routing
 * id) and sends it to `inproc://zeromq.zap.01`. [toString] never shows the credentials.
 */
@ZeroKtInternalApi
public class ZapRequest(public val mechanism: String, public val credentials: List<ByteArray>) {
    override fun toString(): String = "ZapRequest($mechanism, ${credentials.size} credential frames)"
}

/**
 * The ZAP handler's answer (RFC 27): [statusCode] `"200"` (accepted), `"300"` (temporary error), `"400"`
 * (authentication failed) or `"500"` (internal error), with [statusText], the [userId] it assigns and the
 * [metadata] it attaches to the connection.
 */
@ZeroKtInternalApi
public class ZapReply(
    public val statusCode: String,
    public val statusText: String,
    public val userId: ByteArray,
    public val metadata: Map<String, ByteArray>,
) {
    /** True for status 200. */
    public val isAccepted: Boolean get() = statusCode == "200"

    /** The status code as a number (0 when it is not one). */
    public val statusNumber: Int get() = statusCode.toIntOrNull() ?: 0

    override fun toString(): String = "ZapReply($statusCode $statusText)"
}
