package io.zerokt.engine.internal.transport

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.netty.buffer.PooledByteBufAllocator
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import io.zerokt.testing.Endpoints
import io.zerokt.testing.readCountingBytes
import io.zerokt.testing.trickleBytes
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * [NettyByteStream] (abstract ipc names) SHALL pause reading once its unread buffers hold [NettyByteStream.HIGH_WATER]
 * bytes of memory, even when each received byte holds a whole receive buffer, and SHALL then deliver everything; its
 * buffers SHALL come from the pooled allocator.
 */
@OptIn(ZeroKtInternalApi::class)
class NettyByteStreamTest : FunSpec({
    timeout = 60_000

    /** Runs [block] with a connected pair over a fresh abstract name, all closed after it, within 50 s. */
    suspend fun withPair(block: suspend (client: NettyByteStream, server: NettyByteStream) -> Unit) = withTimeout(50.seconds) {
        val transport = AbstractIpcTransport()
        try {
            val name = Endpoints.ipcAbstractEndpoint().removePrefix("ipc://@")
            val listener = transport.listen(name, TransportOptions())
            val client = transport.connect(name, TransportOptions()) as NettyByteStream
            val server = listener.accept() as NettyByteStream
            try {
                block(client, server)
            } finally {
                client.close()
                server.close()
                listener.close()
            }
        } finally {
            transport.close()
        }
    }

    test("a peer that sends one byte per segment SHALL make the stream hold at most the pause limit and one buffer") {
        withPair { client, server ->
            val one = ByteArray(1)
            val sent = trickleBytes(MOST_BYTES, { server.readable }, { server.isPaused }) {
                one[0] = it.toByte()
                client.write(one, 0, 1)
            }
            // Counting unread bytes, not buffers, it never paused: 40,000 bytes are far below 1 MiB.
            server.isPaused shouldBe true
            server.held shouldBeLessThan NettyByteStream.HIGH_WATER + (64L shl 10) + 1
            val rest = ByteArray(MOST_BYTES - sent) { (sent + it).toByte() }
            client.write(rest, 0, rest.size)
            val received = readCountingBytes(MOST_BYTES, server::read)
            received shouldBe MOST_BYTES
        }
    }

    test("the connecting and the accepted stream SHALL take their buffers from the pooled allocator") {
        withPair { client, server ->
            client.allocator shouldBeSameInstanceAs PooledByteBufAllocator.DEFAULT
            server.allocator shouldBeSameInstanceAs PooledByteBufAllocator.DEFAULT
            // 64 KiB, the size Netty's default allocator never pooled, still arrives whole.
            val sent = ByteArray(64 shl 10) { it.toByte() }
            client.write(sent, 0, sent.size)
            val received = ByteArray(sent.size)
            var at = 0
            while (at < received.size) at += server.read(received, at, received.size - at).also { check(it > 0) }
            received.contentEquals(sent) shouldBe true
        }
    }
}) {
    private companion object {
        /** More one-byte receives than the pause limit allows with Netty's smallest receive buffer (64 bytes). */
        const val MOST_BYTES = 40_000
    }
}
