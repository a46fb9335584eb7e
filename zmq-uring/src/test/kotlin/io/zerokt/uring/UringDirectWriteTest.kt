package io.zerokt.uring

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import io.zerokt.testing.ResourceCounts
import io.zerokt.testing.awaitResourcesBackTo
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.io.IOException
import kotlin.time.Duration.Companion.seconds

/**
 * [UringStream.writeNow], the direct write REQ and REP use: it writes from the calling thread on a duplicate of the
 * channel's descriptor, only once the event loop made that duplicate, never ahead of a write still in flight, never
 * after close, and the duplicate is closed with the stream.
 */
@OptIn(ZeroKtInternalApi::class)
class UringDirectWriteTest : FunSpec({
    timeout = 60_000
    val none = ByteArray(0)

    /** Asks, on the stream's event loop as the connection's driver does, whether direct writes are possible. */
    suspend fun enableDirect(stream: ByteStream): Int = withContext(stream.dispatcher!!) { stream.writeNow(none, 0, 0) }

    for (scheme in listOf("tcp", "ipc")) {
        test("over $scheme, a direct write SHALL send from the calling thread once the event loop has duplicated the descriptor") {
            withUringTransport { transport ->
                connected(transport, scheme) { client, server ->
                    // Not on the event loop and no duplicate yet: no direct writes (the probe says so, a write takes nothing).
                    client.writeNow(none, 0, 0) shouldBe -1
                    client.writeNow(byteArrayOf(1), 0, 1) shouldBe 0
                    enableDirect(client) shouldBe 0
                    val hello = "hello from the sender's thread".encodeToByteArray()
                    client.writeNow(hello, 0, hello.size) shouldBe hello.size
                    readExactly(server, hello.size).decodeToString() shouldBe "hello from the sender's thread"
                    // More than one direct write sends: the kernel takes at most DIRECT_MAX_BYTES, the caller sends the rest.
                    val big = ByteArray(UringStream.DIRECT_MAX_BYTES * 3) { it.toByte() }
                    coroutineScope {
                        val received = async { readExactly(server, big.size) }
                        val n = client.writeNow(big, 0, big.size)
                        (n in 1..UringStream.DIRECT_MAX_BYTES) shouldBe true
                        client.write(big, n, big.size - n)
                        received.await().contentEquals(big) shouldBe true
                    }
                }
            }
        }
    }

    test("a direct write SHALL take nothing while a write handed to the channel is still in flight, so order holds") {
        withUringTransport { transport ->
            // Small kernel buffers: loopback's autotuned ones can take all of 8 MiB before the peer reads.
            val small = TransportOptions(sendBuffer = 64 shl 10, receiveBuffer = 64 shl 10)
            connected(transport, "tcp", small) { client, server ->
                enableDirect(client) shouldBe 0
                // 8 MiB to a peer that does not read yet: the kernel's buffers fill, the rest waits in the channel.
                val bulk = ByteArray(8 shl 20) { (it * 7).toByte() }
                coroutineScope {
                    val writer = launch(client.dispatcher!!) { client.write(bulk, 0, bulk.size) }
                    delay(200)
                    val tail = "after the bulk".encodeToByteArray()
                    client.writeNow(tail, 0, tail.size) shouldBe 0
                    readExactly(server, bulk.size).contentEquals(bulk) shouldBe true
                    writer.join()
                    // Once every handed-over write has completed, direct writes go again, after the bulk.
                    var n = 0
                    while (n == 0) {
                        n = client.writeNow(tail, 0, tail.size)
                        if (n == 0) delay(1)
                    }
                    n shouldBe tail.size
                    readExactly(server, tail.size).decodeToString() shouldBe "after the bulk"
                }
            }
        }
    }

    test("with a SEND_ZC threshold, writes at or above it SHALL be left to the event loop's zero-copy send") {
        // Forced on loopback: by default a connection to this host sends no zero-copy (see the next test).
        withUringTransport(settings = UringSettings.of(emptyMap(), zeroCopyLoopback = true)) { transport ->
            connected(transport, "tcp", TransportOptions(sendZeroCopyThreshold = 1000)) { client, server ->
                enableDirect(client) shouldBe 0
                val small = ByteArray(999) { 1 }
                val large = ByteArray(1000) { 2 }
                client.writeNow(small, 0, small.size) shouldBe small.size
                client.writeNow(large, 0, large.size) shouldBe 0
                client.write(large, 0, large.size)
                readExactly(server, small.size + large.size).contentEquals(small + large) shouldBe true
            }
        }
    }

    test("with a SEND_ZC threshold on a connection to this host, writes above it SHALL still be written directly") {
        withUringTransport { transport ->
            connected(transport, "tcp", TransportOptions(sendZeroCopyThreshold = 1000)) { client, server ->
                enableDirect(client) shouldBe 0
                val large = ByteArray(5000) { 3 }
                client.writeNow(large, 0, large.size) shouldBe large.size
                readExactly(server, large.size).contentEquals(large) shouldBe true
            }
        }
    }

    test("a closed stream SHALL refuse direct writes, and its duplicate descriptor SHALL be closed") {
        withUringTransport { transport ->
            // Warm up once, so that the descriptor pair and the event loop's thread are part of the baseline.
            connected(transport, "tcp") { client, _ -> enableDirect(client) shouldBe 0 }
            val baseline = withContext(Dispatchers.IO) { ResourceCounts.current() }
            repeat(50) {
                connected(transport, "tcp") { client, server ->
                    enableDirect(client) shouldBe 0
                    enableDirect(server) shouldBe 0
                    client.close()
                    client.writeNow(none, 0, 0) shouldBe -1
                    shouldThrow<IOException> { client.writeNow(byteArrayOf(1), 0, 1) }
                    // The peer sees the end of the stream: the duplicate does not keep the connection open.
                    val buffer = ByteArray(16)
                    server.read(buffer, 0, buffer.size) shouldBe -1
                }
            }
            awaitResourcesBackTo(baseline, threadSlack = 0, fdSlack = 0, timeout = 10.seconds)
        }
    }
})
