package io.zerokt.uring

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.netty.channel.unix.DomainSocketAddress
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.io.IOException
import java.net.InetAddress
import java.net.InetSocketAddress
import kotlin.time.Duration.Companion.seconds

/**
 * [UringSender]: a connection's writes go to the ring as SEND operations of its own, one in flight at a time, and
 * reach the peer whole and in order through short sends and a full socket; a writer waits above the high-water mark;
 * close sends what was written, or gives up after its grace on a peer that stopped reading, and gives every buffer back.
 * From the zero-copy threshold the sends are SEND_ZC, whose buffers are kept until the kernel's notification; a
 * socket without zero-copy sends (a Unix one) falls back to plain sends, and a connection to this host sends plainly
 * unless the settings force zero-copy there.
 */
@OptIn(ZeroKtInternalApi::class)
class UringSenderTest : FunSpec({
    timeout = 120_000

    /** Small kernel buffers, so that a peer that does not read fills them at once. */
    val small = TransportOptions(sendBuffer = 64 shl 10, receiveBuffer = 64 shl 10)

    fun pattern(size: Int) = ByteArray(size) { (it * 31 + (it ushr 11)).toByte() }

    /** Writes [bytes] in pieces of mixed sizes, below and above a 16 KiB threshold, on the stream's event loop. */
    suspend fun writeMixed(stream: ByteStream, bytes: ByteArray) =
        writeInPieces(stream, bytes, intArrayOf(100, 20_000, 1, 70_000, 16_384, 5_000, 300_000))

    val zeroCopy = TransportOptions(sendZeroCopyThreshold = 16_384)

    /** Zero-copy sends on loopback too, where the transport would not use them by default (the kernel copies anyway). */
    val zeroCopyOnLoopback = UringSettings.of(emptyMap(), zeroCopyLoopback = true)

    /** Writes [bytes] with [writeMixed] while [server] reads them, and checks that they arrived whole and in order. */
    suspend fun sendMixedAndCheck(client: ByteStream, server: ByteStream, bytes: ByteArray) =
        coroutineScope {
            val writer = async { writeMixed(client, bytes) }
            readExactly(server, bytes.size).contentEquals(bytes) shouldBe true
            writer.await()
        }

    /**
     * Connects over [scheme] with the zero-copy threshold, sends 4 MiB with [sendMixedAndCheck], then runs [check] on
     * the sending stream, on its event loop.
     */
    suspend fun sendMixedWithThreshold(transport: UringTransport, scheme: String, check: UringStream.() -> Unit) =
        connected(transport, scheme, zeroCopy) { client, server ->
            sendMixedAndCheck(client, server, pattern(4 shl 20))
            withContext(client.dispatcher!!) { (client as UringStream).check() }
        }

    /** Waits until [sender]'s zero-copy sends have all been notified, so that it keeps no buffer. */
    suspend fun awaitNotified(sender: UringStream) = withTimeout(10.seconds) {
        while (withContext(sender.dispatcher!!) { sender.awaitingNotification } != 0) delay(10)
    }

    test("over tcp, zero-copy sends SHALL deliver every byte in order and give each buffer back once the kernel is done") {
        NettyLeaks.collect()
        val leaksBefore = NettyLeaks.count
        withUringTransport(settings = zeroCopyOnLoopback) { transport ->
            connected(transport, "tcp", zeroCopy) { client, server ->
                val sender = client as UringStream
                withContext(client.dispatcher!!) { sender.sendsToRing to sender.zeroCopyOn } shouldBe (true to true)
                sendMixedAndCheck(client, server, pattern(16 shl 20))
                (withContext(client.dispatcher!!) { sender.zeroCopySends } > 0) shouldBe true
                // Every notification comes once the peer has the bytes: no buffer is kept after that.
                awaitNotified(sender)
                withContext(client.dispatcher!!) { sender.unsentBytes } shouldBe 0L
            }
        }
        NettyLeaks.collect()
        withClue(NettyLeaks.reports) { NettyLeaks.count shouldBe leaksBefore }
    }

    test("over tcp to this host, where the kernel would copy zero-copy sends anyway, the sender SHALL send plainly") {
        withUringTransport { transport ->
            sendMixedWithThreshold(transport, "tcp") {
                sendsToRing shouldBe true
                zeroCopyOn shouldBe false
                zeroCopySends shouldBe 0
            }
        }
    }

    test("a connection SHALL count as looping back when its peer is a loopback address or its own local address") {
        fun tcp(host: String) = InetSocketAddress(InetAddress.getByName(host), 5555)
        UringStream.loopsBack(tcp("10.1.2.3"), tcp("127.0.0.1")) shouldBe true
        UringStream.loopsBack(tcp("10.1.2.3"), tcp("127.8.9.10")) shouldBe true
        UringStream.loopsBack(tcp("::1"), tcp("::1")) shouldBe true
        UringStream.loopsBack(tcp("10.1.2.3"), tcp("10.1.2.3")) shouldBe true
        UringStream.loopsBack(tcp("10.1.2.3"), tcp("10.1.2.4")) shouldBe false
        UringStream.loopsBack(tcp("127.0.0.1"), tcp("192.168.1.1")) shouldBe false
        UringStream.loopsBack(null, tcp("10.1.2.4")) shouldBe false
        UringStream.loopsBack(DomainSocketAddress("/tmp/a"), DomainSocketAddress("/tmp/a")) shouldBe false
    }

    test("over ipc, where the kernel has no zero-copy sends, the sender SHALL fall back to plain sends and lose nothing") {
        withUringTransport { transport ->
            sendMixedWithThreshold(transport, "ipc") {
                // One SEND_ZC was tried and refused (EOPNOTSUPP); everything went plainly after it.
                zeroCopySends shouldBe 1
                zeroCopyOn shouldBe false
                awaitingNotification shouldBe 0
            }
        }
    }

    test("closing right after zero-copy writes SHALL deliver every byte, then the end, and keep no buffer") {
        withUringTransport(settings = zeroCopyOnLoopback) { transport ->
            connected(transport, "tcp", zeroCopy) { client, server ->
                val sender = client as UringStream
                val bytes = pattern(6 shl 20)
                coroutineScope {
                    val received = async { readExactly(server, bytes.size) }
                    writeMixed(client, bytes)
                    client.close() // with zero-copy sends in flight and notifications to come
                    received.await().contentEquals(bytes) shouldBe true
                }
                server.read(ByteArray(8), 0, 8) shouldBe -1
                awaitNotified(sender)
            }
        }
    }

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
