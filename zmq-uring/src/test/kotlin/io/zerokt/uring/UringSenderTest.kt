package io.zerokt.uring

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.io.IOException
import kotlin.time.Duration.Companion.seconds

/**
 * [UringSender]: a connection's writes go to the ring as SEND operations of its own, one in flight at a time, and
 * reach the peer whole and in order through short sends and a full socket; a writer waits above the high-water mark;
 * close sends what was written, or gives up after its grace on a peer that stopped reading, and gives every buffer back.
 */
@OptIn(ZeroKtInternalApi::class)
class UringSenderTest : FunSpec({
    timeout = 120_000

    /** Small kernel buffers, so that a peer that does not read fills them at once. */
    val small = TransportOptions(sendBuffer = 64 shl 10, receiveBuffer = 64 shl 10)

    fun pattern(size: Int) = ByteArray(size) { (it * 31 + (it ushr 11)).toByte() }

    for (scheme in listOf("tcp", "ipc")) {
        test("over $scheme, writes to a peer that reads late SHALL arrive whole and in order, the writer waiting above the high-water mark") {
            withUringTransport { transport ->
                connected(transport, scheme, small) { client, server ->
                    val sender = client as UringStream
                    // Asked on the event loop: the sender is made there when the connection becomes active.
                    withContext(client.dispatcher!!) { sender.sendsToRing } shouldBe true
                    val bytes = pattern(24 shl 20)
                    coroutineScope {
                        val writer = launch { writeInPieces(client, bytes) }
                        delay(500) // nobody reads: the socket fills, the writer stops at the high-water mark
                        writer.isCompleted shouldBe false
                        withContext(client.dispatcher!!) { sender.unsentBytes } shouldBeLessThanOrEqual UringSender.HIGH_BYTES + 66_000
                        readExactly(server, bytes.size).contentEquals(bytes) shouldBe true
                        writer.join()
                    }
                    withContext(client.dispatcher!!) { sender.unsentBytes } shouldBe 0L
                }
            }
        }
    }

    test("a stream closed right after its last write SHALL still deliver every byte, then the end of the stream") {
        withUringTransport { transport ->
            connected(transport, "tcp", small) { client, server ->
                val bytes = pattern(4 shl 20)
                coroutineScope {
                    val received = async { readExactly(server, bytes.size) }
                    // Smaller than the high-water mark: the write returns with most of it still to send.
                    withContext(client.dispatcher!!) { client.write(bytes, 0, 900 shl 10) }
                    writeInPieces(client, bytes.copyOfRange(900 shl 10, bytes.size))
                    client.close() // with sends still in flight and queued
                    received.await().contentEquals(bytes) shouldBe true
                }
                server.read(ByteArray(8), 0, 8) shouldBe -1
            }
        }
    }

    test("closing a stream whose peer stopped reading SHALL give up its unsent bytes after the grace and release them") {
        withUringTransport { transport ->
            connected(transport, "tcp", small) { client, server ->
                val sender = client as UringStream
                coroutineScope {
                    val writer = launch {
                        runCatching { writeInPieces(client, pattern(8 shl 20)) }
                    }
                    delay(300)
                    (withContext(client.dispatcher!!) { sender.unsentBytes } > 0) shouldBe true
                    client.close()
                    writer.join() // the waiting writer is released by the close
                    // Within the grace and a little: the send in flight is cancelled and every buffer given back.
                    withTimeout((UringStream.CLOSE_GRACE_MILLIS + 3_000)) {
                        while (withContext(client.dispatcher!!) { sender.unsentBytes } != 0L || sender.isOpen) delay(20)
                    }
                    shouldThrow<IOException> { withContext(client.dispatcher!!) { client.write(byteArrayOf(1), 0, 1) } }
                }
                server.close()
            }
        }
    }

    test("a peer that closes while the writer is sending SHALL fail the writer with an IOException, not hang it") {
        withUringTransport(60.seconds) { transport ->
            connected(transport, "tcp", small) { client, server ->
                coroutineScope {
                    val writer = async {
                        runCatching {
                            val chunk = pattern(66_000)
                            withContext(client.dispatcher!!) { while (true) client.write(chunk, 0, chunk.size) }
                        }
                    }
                    readExactly(server, 1 shl 20)
                    server.close()
                    (writer.await().exceptionOrNull() is IOException) shouldBe true
                }
            }
        }
    }
})
