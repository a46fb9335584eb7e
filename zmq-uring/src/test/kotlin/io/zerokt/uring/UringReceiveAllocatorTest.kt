package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.netty.buffer.PooledByteBufAllocator
import io.zerokt.engine.spi.ZeroKtInternalApi

/**
 * Both ends of an io_uring connection SHALL receive into `PooledByteBufAllocator` buffers, over tcp and ipc: Netty's
 * default allocator made each 64 KiB receive buffer a fresh, zeroed `ByteBuffer.allocateDirect` (see the README).
 */
@OptIn(ZeroKtInternalApi::class)
class UringReceiveAllocatorTest : FunSpec({
    timeout = 60_000

    for (scheme in listOf("tcp", "ipc")) {
        test("over $scheme, the connecting and the accepted stream SHALL receive into pooled buffers") {
            withUringTransport { transport ->
                connected(transport, scheme) { client, server ->
                    (client as UringStream).receiveAllocator shouldBeSameInstanceAs PooledByteBufAllocator.DEFAULT
                    (server as UringStream).receiveAllocator shouldBeSameInstanceAs PooledByteBufAllocator.DEFAULT
                    // The bytes still arrive whole: 64 KiB, the size whose receive buffers were never pooled before.
                    val sent = ByteArray(64 shl 10) { it.toByte() }
                    client.write(sent, 0, sent.size)
                    readExactly(server, sent.size).contentEquals(sent) shouldBe true
                }
            }
        }
    }
})
