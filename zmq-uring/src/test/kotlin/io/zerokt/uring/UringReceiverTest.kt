package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * [UringReceiver] and [UringBufferGroup]: with the multishot option a connection receives with one armed multishot
 * receive into its event loop's group of provided buffers, many receives per arm, every byte in order; a connection
 * finds the group empty (others hold its slots unread) and still receives, into a buffer of its own; and every slot
 * comes back to the group once the streams are read or closed. Single-shot receives from the group, what a kernel
 * without multishot ones gets, deliver the same.
 */
@OptIn(ZeroKtInternalApi::class)
class UringReceiverTest : FunSpec({
    timeout = 120_000
    val multishot = TransportOptions(multishotReceive = true)

    fun pattern(size: Int, seed: Int = 0) = ByteArray(size) { (it * 31 + (it ushr 11) + seed).toByte() }

    /** Slots of every group of [transport] still held by readers, asked on the (one) event loop. */
    suspend fun slotsInUse(transport: UringTransport, stream: ByteStream): Int =
        withContext(stream.dispatcher!!) { transport.receiveGroups.sumOf { it.inUse } }

    for (scheme in listOf("tcp", "ipc")) {
        test("over $scheme, one multishot receive SHALL serve many receives and deliver every byte in order") {
            withUringTransport { transport ->
                connected(transport, scheme, multishot) { client, server ->
                    val receiver = withContext(server.dispatcher!!) { (server as UringStream).groupReceiver }
                    receiver shouldNotBe null
                    val bytes = pattern(16 shl 20)
                    coroutineScope {
                        val writer = async { writeInPieces(client, bytes) }
                        readExactly(server, bytes.size).contentEquals(bytes) shouldBe true
                        writer.await()
                    }
                    val (arms, receives) = withContext(server.dispatcher!!) { receiver!!.arms to receiver.receives }
                    // Single-shot receives would arm once per receive; a reader keeping up re-arms only after pauses.
                    receives shouldBeGreaterThan 4 * arms
                    slotsInUse(transport, server) shouldBe 0
                }
            }
        }
    }

    test("single-shot receives from the group (a kernel without multishot ones) SHALL deliver every byte in order") {
        val singleShot = UringSettings(ringSize = 256, bufferRingSize = 64, bufferSize = 64 shl 10, multishotReceives = false)
        withUringTransport(settings = singleShot) { transport ->
            connected(transport, "tcp", multishot) { client, server ->
                val receiver = withContext(server.dispatcher!!) { (server as UringStream).groupReceiver!! }
                val bytes = pattern(8 shl 20, seed = 3)
                coroutineScope {
                    val writer = async { writeInPieces(client, bytes) }
                    readExactly(server, bytes.size).contentEquals(bytes) shouldBe true
                    writer.await()
                }
                // An arm per receive at least: each receive ends with its completion and is armed again.
                val (arms, receives) = withContext(server.dispatcher!!) { receiver.arms to receiver.receives }
                arms shouldBeGreaterThanOrEqual receives
                slotsInUse(transport, server) shouldBe 0
            }
        }
    }

    test("a peer that closes while the reader is paused SHALL still deliver every byte in order, then the end") {
        withUringTransport { transport ->
            connected(transport, "tcp", multishot) { client, server ->
                // More than the pause limit, less than what the sockets' buffers hold besides: the write completes.
                val bytes = pattern(2 shl 20, seed = 4)
                writeInPieces(client, bytes)
                client.close() // its last bytes and the FIN reach a reader that is paused (over 1 MiB held)
                delay(300)
                (server as UringStream).isPaused shouldBe true
                // Resuming, the receiver takes what is left and the end of the stream, in order.
                readExactly(server, bytes.size).contentEquals(bytes) shouldBe true
                server.read(ByteArray(8), 0, 8) shouldBe -1
                slotsInUse(transport, server) shouldBe 0
            }
        }
    }

    test("a connection that finds the group empty SHALL still receive, into a buffer of its own") {
        // A group of 4 slots of 4 KiB: one unread connection takes them all.
        withUringTransport(60.seconds, UringSettings(ringSize = 256, bufferRingSize = 4, bufferSize = 4096)) { transport ->
            connected(transport, "tcp", multishot) { hogClient, hog ->
                connected(transport, "tcp", multishot) { client, server ->
                    val held = pattern(64 shl 10, seed = 1)
                    withContext(hogClient.dispatcher!!) { hogClient.write(held, 0, held.size) }
                    while (slotsInUse(transport, hog) < 4) delay(5)
                    val bytes = pattern(2 shl 20, seed = 2)
                    coroutineScope {
                        val writer = async { writeInPieces(client, bytes) }
                        readExactly(server, bytes.size).contentEquals(bytes) shouldBe true
                        writer.await()
                    }
                    val receiver = withContext(server.dispatcher!!) { (server as UringStream).groupReceiver!! }
                    withContext(server.dispatcher!!) { receiver.ownReceives } shouldBeGreaterThan 0
                    // The unread connection's bytes were kept, and reading them gives the slots back.
                    readExactly(hog, held.size).contentEquals(held) shouldBe true
                    while (slotsInUse(transport, hog) != 0) delay(5)
                }
            }
        }
    }

    test("slots given back SHALL be provided again one run of consecutive slots at a time") {
        fun runs(vararg slots: Int) = buildList { UringBufferGroup.forEachRun(slots.toMutableList()) { first, n -> add(first to n) } }
        runs(7, 3, 4, 5, 9) shouldBe listOf(3 to 3, 7 to 1, 9 to 1)
        runs(0, 1, 2, 3) shouldBe listOf(0 to 4)
        runs(63, 0) shouldBe listOf(0 to 1, 63 to 1)
        runs(5) shouldBe listOf(5 to 1)
        runs() shouldBe emptyList()
    }

    test("200 multishot connections closed with bytes unread SHALL give every slot back") {
        withUringTransport(90.seconds) { transport ->
            repeat(200) { round ->
                connected(transport, if (round % 2 == 0) "tcp" else "ipc", multishot) { client, server ->
                    val bytes = pattern(200_000, seed = round)
                    withContext(client.dispatcher!!) { client.write(bytes, 0, bytes.size) }
                    readExactly(server, 1000)
                }
            }
            // Closing released what the streams held: the slots come back on the loop.
            connected(transport, "tcp", multishot) { _, server ->
                withTimeout(10.seconds) { while (slotsInUse(transport, server) != 0) delay(10) }
            }
        }
    }
})
