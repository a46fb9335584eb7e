package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import io.zerokt.testing.readCountingBytes
import io.zerokt.testing.trickleBytes
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlin.time.Duration.Companion.seconds

/**
 * A connection whose socket reads slower than its peer writes SHALL stop reading from the kernel once its queued
 * buffers hold [UringStream.PAUSE_BYTES], with plain receives and with multishot receives into the event loop's buffer
 * group ([UringReceiver]), and SHALL deliver every byte in order; also when the peer sends one byte per segment, each
 * holding a whole receive buffer. (With Netty 4.2.18's own multishot receive the queue grew to 30 MB here.)
 */
@OptIn(ZeroKtInternalApi::class)
class UringReadPauseTest : FunSpec({
    timeout = 120_000

    /** The pause limit, plus what the kernel may hand over before a pause takes effect (about one read's worth). */
    val bound = UringStream.PAUSE_BYTES + (4L shl 20)

    for (ring in listOf(false, true)) {
        val receive = if (ring) "multishot receives into the buffer group" else "plain receives"
        test("with $receive, a slow reader SHALL keep the queue near the pause limit and lose nothing") {
            withUringTransport(90.seconds) { transport ->
                val options = TransportOptions(multishotReceive = ring)
                val listener = transport.listen("tcp", "127.0.0.1:*", options)
                val client = transport.connect("tcp", listener.endpoint.substringAfter("://"), options)
                val server = listener.accept() as UringStream
                // With the option, the stream's own multishot receives (not the channel's reads) are what pause.
                (withContext(server.dispatcher!!) { server.groupReceiver } != null) shouldBe ring
                val total = 128 shl 20
                coroutineScope {
                    launch(client.dispatcher!!) {
                        val chunk = ByteArray(66 * 1000) // many frames' worth per write, as the engine's batches are
                        var sent = 0
                        while (sent < total) {
                            val n = minOf(chunk.size, total - sent)
                            for (i in 0 until n) chunk[i] = (sent + i).toByte()
                            client.write(chunk, 0, n)
                            sent += n
                        }
                    }
                    // Nobody reads for a while: reading pauses.
                    delay(1_000)
                    server.held shouldBeLessThan bound
                    // Then a reader slower than the writer, on the event loop as the engine's reader is: reading
                    // pauses and resumes over and over.
                    val buffer = ByteArray(4096)
                    var received = 0
                    var most = 0L
                    var reads = 0
                    withContext(server.dispatcher!!) {
                        while (received < total) {
                            if (++reads % 16 == 0) delay(1)
                            most = maxOf(most, server.held)
                            val n = server.read(buffer, 0, buffer.size)
                            check(n > 0) { "the stream ended after $received bytes" }
                            for (i in 0 until n) check(buffer[i] == (received + i).toByte()) { "byte ${received + i} differs" }
                            received += n
                        }
                    }
                    received shouldBe total
                    most shouldBeLessThan bound
                }
                client.close()
                server.close()
                listener.close()
            }
        }

        test("with $receive, a peer that sends one byte per segment SHALL make the stream hold at most the pause limit and one buffer") {
            withUringTransport(90.seconds) { transport ->
                val options = TransportOptions(multishotReceive = ring)
                val listener = transport.listen("tcp", "127.0.0.1:*", options)
                val port = listener.endpoint.substringAfterLast(':').toInt()
                java.net.Socket("127.0.0.1", port).use { peer ->
                    peer.tcpNoDelay = true
                    val server = listener.accept() as UringStream
                    val out = peer.getOutputStream()
                    val sent = trickleBytes(TRICKLE_BYTES, { server.readable }, { server.isPaused }) {
                        out.write(it and 0xff)
                        out.flush()
                    }
                    // Before, the limit counted bytes, not buffers: 2,000 one-byte receives held 2 MiB (plain) or
                    // 125 MiB (ring) and reading never paused.
                    server.isPaused shouldBe true
                    server.held shouldBeLessThan UringStream.PAUSE_BYTES + (64L shl 10) + 1
                    // The rest still arrives once the reader takes what is queued, in order.
                    repeat(TRICKLE_BYTES - sent) { out.write((sent + it) and 0xff) }
                    out.flush()
                    val received = withContext(server.dispatcher!!) { readCountingBytes(TRICKLE_BYTES, server::read) }
                    received shouldBe TRICKLE_BYTES
                    server.close()
                }
                listener.close()
            }
        }
    }
}) {
    private companion object {
        /** More one-byte receives than the pause limit allows with the smallest plain receive buffer (1 KiB). */
        const val TRICKLE_BYTES = 2_000
    }
}
