package io.zerokt.uring

import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/** Runs [block] with an io_uring transport of one event loop and [settings], closed after it, within [limit]. */
internal suspend fun withUringTransport(
    limit: Duration = 30.seconds,
    settings: UringSettings = UringSettings.of(emptyMap()),
    block: suspend (UringTransport) -> Unit,
) =
    withTimeout(limit) {
        val transport = UringTransport(1, settings)
        try {
            block(transport)
        } finally {
            transport.close()
        }
    }

/**
 * Writes [bytes] to [stream] on the stream's event loop in pieces of the [sizes] in turn: by default 66,000 bytes each,
 * as the engine's batches come.
 */
@OptIn(ZeroKtInternalApi::class)
internal suspend fun writeInPieces(stream: ByteStream, bytes: ByteArray, sizes: IntArray = intArrayOf(66_000)) =
    withContext(stream.dispatcher!!) {
        var at = 0
        var i = 0
        while (at < bytes.size) {
            val n = minOf(sizes[i++ % sizes.size], bytes.size - at)
            stream.write(bytes, at, n)
            at += n
        }
    }

/** Reads exactly [size] bytes from [stream]; fails if it ends first. */
@OptIn(ZeroKtInternalApi::class)
internal suspend fun readExactly(stream: ByteStream, size: Int): ByteArray {
    val bytes = ByteArray(size)
    var at = 0
    while (at < size) {
        val n = stream.read(bytes, at, size - at)
        check(n > 0) { "the stream ended after $at of $size bytes" }
        at += n
    }
    return bytes
}

/** A connected pair on [transport] over [scheme] (ipc: a generated path); both ends and the listener closed after [block]. */
@OptIn(ZeroKtInternalApi::class)
internal suspend fun connected(
    transport: UringTransport,
    scheme: String,
    options: TransportOptions = TransportOptions(),
    block: suspend (client: ByteStream, server: ByteStream) -> Unit,
) {
    val listener = transport.listen(scheme, if (scheme == "tcp") "127.0.0.1:*" else "*", options)
    val client = transport.connect(scheme, listener.endpoint.substringAfter("://"), options)
    val server = listener.accept()
    try {
        block(client, server)
    } finally {
        client.close()
        server.close()
        listener.close()
    }
}
