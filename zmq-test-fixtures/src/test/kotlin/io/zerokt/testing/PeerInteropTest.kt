package io.zerokt.testing

import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.config.DefaultTestConfig
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldMatch
import io.zerokt.MonitorEventType
import kotlin.time.Duration.Companion.seconds

/** libzmq (through [PyZmqPeer]) and JeroMQ (through [JeroMqPeer]) talking over tcp, each in both roles. */
class PeerInteropTest : FunSpec({
    defaultTestConfig = DefaultTestConfig(timeout = 60.seconds, enabledOrReasonIf = Interop.libzmqEnabledOrReason)

    val makers: List<Pair<String, () -> InteropPeer>> = listOf("libzmq" to PyZmqPeer::start, "JeroMQ" to JeroMqPeer::start)
    val pairs = makers.flatMap { a -> makers.filter { it.first != a.first }.map { b -> a to b } }

    fun List<ByteArray>.strings() = map { it.decodeToString() }

    for ((binder, connecter) in pairs) {
        test("PUSH (${binder.first}, bind) to PULL (${connecter.first}, connect), in order") {
            binder.second().use { push ->
                connecter.second().use { pull ->
                    push.socket("PUSH")
                    pull.socket("PULL")
                    val ep = push.bind(Endpoints.tcpWildcard())
                    ep shouldMatch Regex("tcp://127\\.0\\.0\\.1:\\d+")
                    pull.connect(ep)
                    for (i in 1..50) push.sendStrings("msg-$i")
                    for (i in 1..50) pull.recvStrings().shouldNotBeNull() shouldContainExactly listOf("msg-$i")
                }
            }
        }

        test("REQ (${connecter.first}, connect) and REP (${binder.first}, bind) round trips") {
            binder.second().use { rep ->
                connecter.second().use { req ->
                    rep.socket("REP")
                    req.socket("REQ")
                    req.connect(rep.bind(Endpoints.tcpWildcard()))
                    repeat(5) { i ->
                        req.sendStrings("ping $i")
                        rep.recvStrings().shouldNotBeNull() shouldContainExactly listOf("ping $i")
                        rep.sendStrings("pong $i")
                        req.recvStrings().shouldNotBeNull() shouldContainExactly listOf("pong $i")
                    }
                }
            }
        }

        test("multipart message with empty, binary and long frames from ${binder.first} to ${connecter.first}") {
            binder.second().use { a ->
                connecter.second().use { b ->
                    a.socket("PAIR")
                    b.socket("PAIR")
                    b.connect(a.bind(Endpoints.tcpWildcard()))
                    val msg = listOf(
                        "head".encodeToByteArray(),
                        ByteArray(0),
                        ByteArray(256) { it.toByte() },
                        ByteArray(70_000) { (it * 31).toByte() },
                        byteArrayOf(0),
                    )
                    a.send(msg)
                    val got = b.recv().shouldNotBeNull()
                    got.size shouldBe msg.size
                    got.zip(msg).forEach { (x, y) -> x.contentEquals(y) shouldBe true }
                    b.send(listOf(ByteArray(0)))
                    a.recv().shouldNotBeNull().map { it.size } shouldContainExactly listOf(0)
                }
            }
        }
    }

    test("ROUTER (libzmq) sees a JeroMQ DEALER's routing id and routes the reply back") {
        PyZmqPeer.start().use { router ->
            JeroMqPeer.start().use { dealer ->
                router.socket("ROUTER")
                dealer.socket("DEALER")
                dealer.setOption("ROUTING_ID", "dealer-1")
                dealer.connect(router.bind(Endpoints.tcpWildcard()))
                dealer.sendStrings("hello")
                router.recvStrings().shouldNotBeNull() shouldContainExactly listOf("dealer-1", "hello")
                router.sendStrings("dealer-1", "world")
                dealer.recvStrings().shouldNotBeNull() shouldContainExactly listOf("world")
            }
        }
    }

    test("recv times out with null and trySend reports a full pipe") {
        PyZmqPeer.start().use { py ->
            JeroMqPeer.start().use { jm ->
                py.socket("PULL")
                py.recv(50) shouldBe null
                jm.socket("PUSH")
                jm.setOption("SNDHWM", 1)
                // PUSH with no peer: nothing can be queued, so the send times out
                jm.trySend(frames("x"), 50) shouldBe false
            }
        }
    }

    test("monitor events from both implementations") {
        PyZmqPeer.start().use { py ->
            JeroMqPeer.start().use { jm ->
                py.socket("PULL")
                py.monitor()
                jm.socket("PUSH")
                jm.monitor()
                val ep = py.bind(Endpoints.tcpWildcard())
                jm.connect(ep)
                py.awaitEvent(MonitorEventType.ACCEPTED).shouldNotBeNull().endpoint shouldBe ep
                py.awaitEvent(MonitorEventType.HANDSHAKE_SUCCEEDED).shouldNotBeNull()
                jm.awaitEvent(MonitorEventType.CONNECTED).shouldNotBeNull()
                jm.sendStrings("after handshake")
                py.recvStrings().shouldNotBeNull() shouldContainExactly listOf("after handshake")
            }
        }
    }
})
