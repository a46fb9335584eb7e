package io.zerokt.engine.patterns

import io.zerokt.testing.testContext
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.runInterruptible
import kotlinx.coroutines.withTimeout

/**
 * A closed socket (zmq_close(3), zmq_ctx_term(3)): every call fails with ENOTSOCK, a suspended call is woken by
 * the close, and by the context's close with ETERM.
 */
class ClosedSocketTest : FunSpec({
    timeout = 30_000

    test("every call on a closed socket SHALL fail with ENOTSOCK, and close is idempotent") {
        withZmqContext { ctx ->
            val socket = ctx.open(SocketType.DEALER)
            socket.close()
            socket.close()
            shouldThrow<ZmqException> { socket.send(Message("x")) }.error shouldBe ZmqError.ENOTSOCK
            shouldThrow<ZmqException> { socket.trySend(Message("x")) }.error shouldBe ZmqError.ENOTSOCK
            shouldThrow<ZmqException> { socket.receive() }.error shouldBe ZmqError.ENOTSOCK
            shouldThrow<ZmqException> { socket.tryReceive() }.error shouldBe ZmqError.ENOTSOCK
            shouldThrow<ZmqException> { socket.bind(Transport.INPROC.freshEndpoint()) }.error shouldBe ZmqError.ENOTSOCK
            shouldThrow<ZmqException> { socket.connect(Transport.INPROC.freshEndpoint()) }.error shouldBe ZmqError.ENOTSOCK
            shouldThrow<ZmqException> { socket.sendHighWaterMark = 1 }.error shouldBe ZmqError.ENOTSOCK
        }
    }

    test("a receive suspended in another coroutine SHALL be woken by close with ENOTSOCK") {
        withZmqContext { ctx ->
            val pull = ctx.open(SocketType.PULL)
            pull.bindFresh(Transport.TCP)
            val waiting = async(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) { runCatching { pull.receive() } }
            pull.close()
            (withTimeout(WAIT) { waiting.await() }.exceptionOrNull() as ZmqException).error shouldBe ZmqError.ENOTSOCK
        }
    }

    test("a send suspended for want of a peer SHALL be woken by close with ENOTSOCK") {
        withZmqContext { ctx ->
            val push = ctx.open(SocketType.PUSH)
            push.connect(Transport.INPROC.freshEndpoint())
            repeat(2000) { push.trySend(Message("fill $it")) }
            val waiting = async(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) { runCatching { push.send(Message("blocked")) } }
            push.close()
            (withTimeout(WAIT) { waiting.await() }.exceptionOrNull() as ZmqException).error shouldBe ZmqError.ENOTSOCK
        }
    }

    test("a receive suspended in another coroutine SHALL be woken by the context's close with ETERM") {
        val ctx = testContext()
        val sub = ctx.socket(SocketType.SUB).apply { linger = 0 }
        sub.subscribe("")
        sub.bind(Transport.IPC.freshEndpoint())
        val waiting = async(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) { runCatching { sub.receive() } }
        withTimeout(WAIT) { runInterruptible(Dispatchers.IO) { ctx.close() } }
        (withTimeout(WAIT) { waiting.await() }.exceptionOrNull() as ZmqException).error shouldBe ZmqError.ETERM
        shouldThrow<ZmqException> { ctx.socket(SocketType.PUSH) }.error shouldBe ZmqError.ETERM
    }
})
