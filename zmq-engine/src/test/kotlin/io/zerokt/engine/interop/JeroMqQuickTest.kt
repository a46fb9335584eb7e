package io.zerokt.engine.interop

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.zeromq.ZContext
import kotlin.time.Duration.Companion.seconds

class JeroMqQuickTest : FunSpec({
    timeout = 60_000
    test("zerokt PUSH binds, JeroMQ PULL connects") {
        Context().use { ctx ->
            ZContext().use { jctx ->
                val push = ctx.socket(SocketType.PUSH)
                push.bind("tcp://127.0.0.1:*")
                val pull = jctx.createSocket(org.zeromq.SocketType.PULL)
                pull.receiveTimeOut = 5000
                pull.connect(push.lastEndpoint!!)
                withTimeout(10.seconds) {
                    repeat(100) { push.send(Message.of("a$it", "b")) }
                    withContext(Dispatchers.IO) {
                        repeat(100) {
                            pull.recvStr() shouldBe "a$it"
                            pull.hasReceiveMore() shouldBe true
                            pull.recvStr() shouldBe "b"
                        }
                    }
                }
            }
        }
    }
    test("JeroMQ REQ to zerokt REP and SUB subscriptions") {
        Context().use { ctx ->
            ZContext().use { jctx ->
                val rep = ctx.socket(SocketType.REP)
                rep.bind("tcp://127.0.0.1:*")
                val req = jctx.createSocket(org.zeromq.SocketType.REQ)
                req.receiveTimeOut = 5000
                req.connect(rep.lastEndpoint!!)
                withTimeout(10.seconds) {
                    withContext(Dispatchers.IO) { req.send("ping") }
                    rep.receive().decodeToString() shouldBe "ping"
                    rep.send(Message("pong"))
                    withContext(Dispatchers.IO) { req.recvStr() shouldBe "pong" }
                }
            }
        }
    }
    test("JeroMQ PUB to zerokt SUB") {
        Context().use { ctx ->
            ZContext().use { jctx ->
                val pub = jctx.createSocket(org.zeromq.SocketType.PUB)
                val port = pub.bindToRandomPort("tcp://127.0.0.1")
                val sub = ctx.socket(SocketType.SUB)
                sub.subscribe("A")
                sub.connect("tcp://127.0.0.1:$port")
                withTimeout(10.seconds) {
                    var got: String? = null
                    while (got == null) {
                        withContext(Dispatchers.IO) { pub.send("B-no"); pub.send("A-yes") }
                        got = sub.tryReceive()?.decodeToString()
                        if (got == null) kotlinx.coroutines.delay(20)
                    }
                    got shouldBe "A-yes"
                }
            }
        }
    }
})
