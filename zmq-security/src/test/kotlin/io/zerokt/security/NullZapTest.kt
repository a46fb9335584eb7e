package io.zerokt.security

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.SocketType
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import io.zerokt.testing.testContext
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * NULL sockets with a ZAP_DOMAIN ask the ZAP handler about their peers (libzmq 4.3), so the authenticator's address
 * lists apply to them too; with no handler they go on unless ZAP_ENFORCE_DOMAIN is set.
 */
class NullZapTest : FunSpec({
    timeout = 60_000
    val wait = 10.seconds

    suspend fun withContext(block: suspend kotlinx.coroutines.CoroutineScope.(Context) -> Unit) {
        val ctx = testContext()
        try {
            withTimeout(30.seconds) { coroutineScope { block(ctx) } }
        } finally {
            ctx.close()
        }
    }

    test("an allowed address passes and its messages carry the peer address; a denied one fails with HANDSHAKE_FAILED_AUTH 400") {
        withContext { ctx ->
            val auth = ZapAuthenticator(ctx).allow("127.0.0.1")
            auth.start()
            val pull = ctx.socket(SocketType.PULL).apply { linger = 0; zapDomain = "global" }
            pull.bind("tcp://127.0.0.1:*")
            val push = ctx.socket(SocketType.PUSH).apply { linger = 0 }
            push.connect(pull.lastEndpoint!!)
            withTimeout(wait) { push.send(Message("allowed")) }
            val m = withTimeout(wait) { pull.receive() }
            m.decodeToString() shouldBe "allowed"
            m.metadata!!.peerAddress shouldBe "127.0.0.1"
            auth.deny("127.0.0.1")
            val events = recordEvents(pull.monitor())
            val second = ctx.socket(SocketType.PUSH).apply { linger = 0 }
            second.connect(pull.lastEndpoint!!)
            events.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
            events.close()
            auth.close()
        }
    }

    test("with no handler a NULL socket with a domain still connects, unless ZAP_ENFORCE_DOMAIN is set") {
        withContext { ctx ->
            val pull = ctx.socket(SocketType.PULL).apply { linger = 0; zapDomain = "global" }
            pull.bind("tcp://127.0.0.1:*")
            val push = ctx.socket(SocketType.PUSH).apply { linger = 0 }
            push.connect(pull.lastEndpoint!!)
            withTimeout(wait) { push.send(Message("no handler")) }
            withTimeout(wait) { pull.receive() }.decodeToString() shouldBe "no handler"
            val strict = ctx.socket(SocketType.PULL).apply { linger = 0; zapDomain = "global"; zapEnforceDomain = true }
            val events = recordEvents(strict.monitor())
            strict.bind("tcp://127.0.0.1:*")
            ctx.socket(SocketType.PUSH).apply { linger = 0 }.connect(strict.lastEndpoint!!)
            events.await(MonitorEventType.HANDSHAKE_FAILED_NO_DETAIL, wait)
            events.close()
        }
    }
})
