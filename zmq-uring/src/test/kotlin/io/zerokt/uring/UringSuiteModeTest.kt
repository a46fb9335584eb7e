package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.testing.ResourceCounts
import io.zerokt.testing.testContext
import io.zerokt.testing.testsUseIoUring
import io.zerokt.testing.testsUseMultishot
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * The engine and security suites this module runs again are only worth their time if their sockets really run the way
 * the run's properties say: on io_uring, and with the multishot run, receiving into the I/O thread's buffer group.
 * Included in both of the module's runs of those suites.
 */
class UringSuiteModeTest : FunSpec({
    timeout = 60_000

    test("testContext()'s sockets SHALL run on io_uring, and receive with multishot receives in the multishot run") {
        withTimeout(30.seconds) {
            val groupsBefore = UringBufferGroup.opened.get()
            testContext().use { ctx ->
                val pull = ctx.socket(SocketType.PULL).apply { linger = 0 }
                val push = ctx.socket(SocketType.PUSH).apply { linger = 0 }
                pull.bind("tcp://127.0.0.1:*")
                push.connect(pull.lastEndpoint!!)
                push.send(Message("mode"))
                pull.receive().decodeToString() shouldBe "mode"
                pull.ioUringMultishot shouldBe testsUseMultishot
                ResourceCounts.current().threadNames.any { it.startsWith("zkt-io_uring") } shouldBe testsUseIoUring
                // A context's io_uring transport makes its loop's group on the first multishot connection.
                (UringBufferGroup.opened.get() > groupsBefore) shouldBe testsUseMultishot
            }
        }
    }
})
