package io.zerokt.engine

import io.zerokt.testing.testContext
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.testing.ResourceCounts
import io.zerokt.testing.awaitResourcesBackTo
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * No leaks: opening and closing 1,000 sockets and 1,000 connections leaves the thread and file-descriptor counts
 * where they were. The shared kotlinx.coroutines pools (Default, IO) are process-wide and keep idle workers for a
 * while, so a warm-up run fills them first and the check allows for their bounded size.
 */
class LeakTest : FunSpec({
    timeout = 240_000

    suspend fun cycle(ctx: Context, rounds: Int, transport: String) {
        repeat(rounds) { i ->
            val pull = ctx.socket(SocketType.PULL)
            val push = ctx.socket(SocketType.PUSH)
            pull.bind(transport)
            push.connect(pull.lastEndpoint!!)
            push.send(Message("m$i"))
            pull.receive().decodeToString() shouldBe "m$i"
            push.close()
            pull.close()
        }
    }

    test("1,000 tcp sockets and connections opened and closed leave no thread or fd behind") {
        withTimeout(200.seconds) {
            testContext().use { cycle(it, 50, "tcp://127.0.0.1:*") }
            val baseline = ResourceCounts.current()
            testContext().use { ctx -> cycle(ctx, 1000, "tcp://127.0.0.1:*") }
            awaitResourcesBackTo(baseline, threadSlack = 4, fdSlack = 0, timeout = 30.seconds)
        }
    }

    test("refused connects leave no fd behind while the context stays open") {
        withTimeout(60.seconds) {
            testContext().use { ctx ->
                cycle(ctx, 5, "tcp://127.0.0.1:*") // the I/O thread and its selector exist before the baseline
                val closedPort = java.net.ServerSocket(0).use { it.localPort }
                val baseline = ResourceCounts.current()
                val push = ctx.socket(SocketType.PUSH)
                push.reconnectInterval = 5
                push.connect("tcp://127.0.0.1:$closedPort")
                kotlinx.coroutines.delay(300) // dozens of refused attempts
                push.close()
                awaitResourcesBackTo(baseline, threadSlack = 4, fdSlack = 0, timeout = 10.seconds)
            }
        }
    }

    test("contexts opened and closed 200 times leave no thread or fd behind") {
        withTimeout(120.seconds) {
            repeat(5) { testContext().use { cycle(it, 1, "ipc://*") } }
            val baseline = ResourceCounts.current()
            repeat(200) { testContext().use { cycle(it, 1, if (it.hashCode() % 2 == 0) "ipc://*" else "tcp://127.0.0.1:*") } }
            awaitResourcesBackTo(baseline, threadSlack = 4, fdSlack = 0, timeout = 30.seconds)
        }
    }
})
