package io.zerokt.testing

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.config.DefaultTestConfig
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import kotlin.time.Duration.Companion.seconds

class JeroMqPeerTest : FunSpec({
    defaultTestConfig = DefaultTestConfig(timeout = 30.seconds)

    test("two JeroMQ peers talk; closing them releases their threads") {
        // warm up JeroMQ's one-time state so the baseline is fair
        JeroMqPeer.start().use { it.socket("PAIR") }
        val baseline = ResourceCounts.current()
        JeroMqPeer.start().use { a ->
            JeroMqPeer.start().use { b ->
                a.implementation shouldBe "JeroMQ 0.6.0"
                a.supportsIpc shouldBe false
                a.socket("PUB")
                b.socket("SUB")
                b.setOption("SUBSCRIBE", "t")
                b.connect(a.bind(Endpoints.tcpWildcard()))
                // PUB drops until the subscription arrives: publish until one gets through
                var got: List<String>? = null
                while (got == null) {
                    a.sendStrings("other", "no")
                    a.sendStrings("topic", "yes")
                    got = b.recvStrings(100)
                }
                got shouldContainExactly listOf("topic", "yes")
            }
        }
        awaitResourcesBackTo(baseline)
    }

    test("errors are InteropPeerExceptions; calls after close fail") {
        val p = JeroMqPeer.start()
        shouldThrow<InteropPeerException> { p.bind("tcp://127.0.0.1:*") }
        shouldThrow<InteropPeerException> { p.socket("NOPE") }
        p.socket("REP")
        shouldThrow<InteropPeerException> { p.setOption("NO_SUCH_OPTION", 1) }
        shouldThrow<InteropPeerException> { p.bind("bogus://x") }
        p.setOption("LINGER", 0)
        p.bind(Endpoints.tcpWildcard()).shouldNotBeNull()
        p.close()
        p.close()
        shouldThrow<InteropPeerException> { p.recv(10) }
    }
})
