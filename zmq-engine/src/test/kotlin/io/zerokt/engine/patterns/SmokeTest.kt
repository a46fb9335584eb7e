package io.zerokt.engine.patterns

import io.zerokt.testing.testContext
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

class SmokeTest : FunSpec({
    timeout = 60_000
    for (transport in listOf("inproc://smoke", "tcp://127.0.0.1:*", "ipc:///tmp/zkt-smoke.sock")) {
        test("push pull over $transport") {
            testContext().use { ctx ->
                val pull = ctx.socket(SocketType.PULL)
                val push = ctx.socket(SocketType.PUSH)
                pull.bind(transport)
                push.connect(pull.lastEndpoint!!)
                withTimeout(10.seconds) {
                    repeat(1000) { push.send(Message("m$it")) }
                    repeat(1000) { pull.receive().decodeToString() shouldBe "m$it" }
                }
            }
        }
        test("req rep over $transport") {
            testContext().use { ctx ->
                val rep = ctx.socket(SocketType.REP)
                val req = ctx.socket(SocketType.REQ)
                rep.bind(transport)
                req.connect(rep.lastEndpoint!!)
                withTimeout(10.seconds) {
                    repeat(10) {
                        req.send(Message("hello $it"))
                        rep.receive().decodeToString() shouldBe "hello $it"
                        rep.send(Message("world $it"))
                        req.receive().decodeToString() shouldBe "world $it"
                    }
                }
            }
        }
    }
})
