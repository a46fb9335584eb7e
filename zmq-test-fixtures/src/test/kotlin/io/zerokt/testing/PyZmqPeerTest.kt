package io.zerokt.testing

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.config.DefaultTestConfig
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlin.time.Duration.Companion.seconds

/** The libzmq peer on its own: ipc between two libzmq peers, errors, options, and no leaked processes. */
class PyZmqPeerTest : FunSpec({
    defaultTestConfig = DefaultTestConfig(timeout = 60.seconds, enabledOrReasonIf = Interop.libzmqEnabledOrReason)

    test("PUSH to PULL over ipc between two libzmq peers, all messages in order") {
        PyZmqPeer.start().use { push ->
            PyZmqPeer.start().use { pull ->
                push.implementation shouldStartWith "libzmq 4."
                push.socket("PUSH")
                pull.socket("PULL")
                val ep = push.bind(Endpoints.ipcEndpoint())
                ep shouldStartWith "ipc:///"
                pull.connect(ep)
                for (i in 0 until 200) push.send(listOf("m$i".encodeToByteArray(), ByteArray(i)))
                for (i in 0 until 200) {
                    val m = pull.recv().shouldNotBeNull()
                    m[0].decodeToString() shouldBe "m$i"
                    m[1].size shouldBe i
                }
                // the sender stays open until here: the receiver has confirmed everything
            }
        }
    }

    test("options: set and read back, binary options, LAST_ENDPOINT") {
        PyZmqPeer.start().use { p ->
            p.socket("ROUTER")
            p.setOption("SNDHWM", 123)
            p.getOption("SNDHWM") shouldBe 123
            p.setOption("ZMQ_ROUTING_ID", "me")
            (p.getOption("ROUTING_ID") as ByteArray).decodeToString() shouldBe "me"
            val ep = p.bind(Endpoints.tcpWildcard())
            (p.getOption("LAST_ENDPOINT") as ByteArray).decodeToString().trimEnd('\u0000') shouldBe ep
        }
    }

    test("a libzmq error is an InteropPeerException and the peer stays usable") {
        PyZmqPeer.start().use { p ->
            shouldThrow<InteropPeerException> { p.socket("NOT_A_TYPE") }.message!! shouldContain "NOT_A_TYPE"
            p.socket("PAIR")
            shouldThrow<InteropPeerException> { p.bind("bogus://x") }
            shouldThrow<InteropPeerException> { p.setOption("NO_SUCH_OPTION", 1) }
            p.bind(Endpoints.tcpWildcard()) shouldStartWith "tcp://"
            p.isAlive shouldBe true
        }
    }

    test("close ends the process; calls after close fail; closeSocket keeps the process") {
        val p = PyZmqPeer.start()
        p.socket("PUB")
        p.closeSocket(0)
        p.socket("SUB")
        p.isAlive shouldBe true
        val handle = ProcessHandle.of(p.pid).orElseThrow()
        p.close()
        p.isAlive shouldBe false
        handle.isAlive shouldBe false
        p.close()
        shouldThrow<InteropPeerException> { p.socket("PUSH") }
    }

    test("a socket with pending messages and default LINGER still closes in bounded time") {
        val p = PyZmqPeer.start()
        p.socket("PUSH")
        p.connect(Endpoints.tcpWithFreePort()) // nobody listens: the message stays queued
        p.send(frames("stuck"))
        p.closeSocket() // LINGER -1: the context could wait forever
        p.close()
        p.isAlive shouldBe false
    }

    test("frames survive the hex line protocol both ways, including one empty frame") {
        PyZmqPeer.start().use { a ->
            PyZmqPeer.start().use { b ->
                a.socket("PAIR")
                b.socket("PAIR")
                b.connect(a.bind(Endpoints.tcpWildcard()))
                a.send(listOf(ByteArray(0)))
                b.recv().shouldNotBeNull().map { it.size } shouldContainExactly listOf(0)
                val all = ByteArray(256) { it.toByte() }
                b.send(listOf(all, ByteArray(0), all))
                val got = a.recv().shouldNotBeNull()
                got.size shouldBe 3
                got[0].contentEquals(all) shouldBe true
                got[1].size shouldBe 0
            }
        }
    }
})
