package io.zerokt.engine.internal.transport.nio

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.channels.Pipe
import java.nio.channels.SelectionKey
import kotlin.time.Duration.Companion.seconds

/** The I/O thread of the default engine: its dispatcher, its readiness waits, and its end. */
class IoLoopTest : FunSpec({
    timeout = 30_000

    test("a task dispatched from another thread wakes the sleeping loop and runs on its thread") {
        val loop = IoLoop("zkt-io-test")
        try {
            delay(50) // the loop is asleep in select by now
            val name = withTimeout(5.seconds) { withContext(loop) { Thread.currentThread().name } }
            name shouldStartWith "zkt-io-test"
        } finally {
            loop.close(1_000)
        }
    }

    test("a readiness wait resumes when the channel becomes readable, and a closed channel fails the next wait's read") {
        val loop = IoLoop("zkt-io-test")
        val pipe = Pipe.open()
        try {
            val registration = loop.register(pipe.source())
            withContext(loop) {
                val waiting = async(start = CoroutineStart.UNDISPATCHED) { registration.await(SelectionKey.OP_READ) }
                waiting.isActive shouldBe true
                pipe.sink().write(ByteBuffer.wrap(byteArrayOf(1)))
                withTimeout(5.seconds) { waiting.await() }
                pipe.source().read(ByteBuffer.allocate(8)) shouldBe 1

                val again = async(start = CoroutineStart.UNDISPATCHED) { registration.await(SelectionKey.OP_READ) }
                pipe.source().close()
                registration.fireAll()
                withTimeout(5.seconds) { again.await() }
                shouldThrow<IOException> { pipe.source().read(ByteBuffer.allocate(8)) }
            }
        } finally {
            pipe.sink().close()
            loop.close(1_000)
        }
    }

    test("after close the thread is gone and a late task still runs, off the loop") {
        val loop = IoLoop("zkt-io-test-closing")
        withContext(loop) { Unit }
        loop.close(1_000)
        Thread.getAllStackTraces().keys.none { it.name == "zkt-io-test-closing" } shouldBe true
        val name = withTimeout(5.seconds) { withContext(loop) { Thread.currentThread().name } }
        name shouldStartWith "DefaultDispatcher-worker"
    }
})
