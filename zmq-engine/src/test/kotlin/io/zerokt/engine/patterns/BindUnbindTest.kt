package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout

/** zmq_unbind(3): by the endpoint as resolved (lastEndpoint) or as asked for, ENOENT otherwise; the address is free again. */
class BindUnbindTest : FunSpec({
    timeout = 30_000

    overStreamTransports { transport ->
        test("unbind by the resolved endpoint SHALL free the address for a new bind") {
            withZmqContext { ctx ->
                val pull = ctx.open(SocketType.PULL)
                val endpoint = pull.bindFresh(transport)
                pull.unbind(endpoint)
                shouldThrow<ZmqException> { pull.unbind(endpoint) }.error shouldBe ZmqError.ENOENT

                val again = ctx.open(SocketType.PULL)
                // As zmq_unbind(3), the listener closes asynchronously (the JDK frees a socket registered with a
                // selector at the selector's next cycle): the address is free again within moments, not at once.
                withTimeout(WAIT) {
                    while (runCatching { again.bind(endpoint) }.onFailure { e ->
                            if (e !is ZmqException || e.error != ZmqError.EADDRINUSE) throw e
                        }.isFailure
                    ) delay(10)
                }
                val push = ctx.open(SocketType.PUSH)
                connectAndAwait(again, endpoint, push)
                push.sendText("after unbind")
                again.receiveWithin().decodeToString() shouldBe "after unbind"
            }
        }
    }

    test("unbind by the wildcard endpoint asked for SHALL find the bind made from it") {
        withZmqContext { ctx ->
            val pull = ctx.open(SocketType.PULL)
            pull.bind("tcp://127.0.0.1:*")
            pull.unbind("tcp://127.0.0.1:*")
            shouldThrow<ZmqException> { pull.unbind("tcp://127.0.0.1:*") }.error shouldBe ZmqError.ENOENT
        }
    }

    test("unbind of a connected endpoint SHALL fail with ENOENT and leave the connection working") {
        withZmqContext { ctx ->
            val pull = ctx.open(SocketType.PULL)
            val endpoint = pull.bindFresh(Transport.TCP)
            val push = ctx.open(SocketType.PUSH)
            connectAndAwait(pull, endpoint, push)
            shouldThrow<ZmqException> { push.unbind(endpoint) }.let {
                it.error shouldBe ZmqError.ENOENT
                it.message!! shouldContain "it is connected"
            }
            push.send(Message("still connected"))
            pull.receiveWithin().decodeToString() shouldBe "still connected"
        }
    }
})
