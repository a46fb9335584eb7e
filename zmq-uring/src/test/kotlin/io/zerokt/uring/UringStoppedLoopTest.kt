package io.zerokt.uring

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import java.io.IOException
import java.net.InetAddress
import java.net.ServerSocket
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds

/**
 * A transport whose event loop has stopped under it (its thread ended by a failure, as where `io_uring_enter` starts
 * failing): a bind or connect fails at once with an [IOException] instead of waiting for a notification that the
 * stopped loop can never deliver.
 */
@OptIn(ZeroKtInternalApi::class)
class UringStoppedLoopTest : FunSpec({
    timeout = 60_000

    test("a bind or connect on a transport whose event loop has stopped SHALL fail with an IOException, not wait forever") {
        ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { peer ->
            withUringTransport(10.seconds) { transport ->
                transport.loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS) shouldBe true
                shouldThrow<IOException> {
                    transport.connect("tcp", "127.0.0.1:${peer.localPort}", TransportOptions())
                }.message!! shouldContain "terminated"
                // The wildcards `connected` (UringTestTransport) binds with.
                shouldThrow<IOException> { transport.listen("tcp", "127.0.0.1:*", TransportOptions()) }
                shouldThrow<IOException> { transport.listen("ipc", "*", TransportOptions()) }
            }
        }
    }
})
