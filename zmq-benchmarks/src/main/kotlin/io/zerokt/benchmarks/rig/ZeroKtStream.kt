package io.zerokt.benchmarks.rig

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/** ZeroKt PUSH → PULL: the PUSH sends the same message flat out from a coroutine; the caller receives. */
internal class ZeroKtStream(transport: Transport, private val size: Int) : ZeroKtRig(), StreamRig {
    private val pull = socket(SocketType.PULL)
    private val push = socket(SocketType.PUSH)

    init {
        join(pull, transport, listOf(push))
        val message = Message.of(Frame.wrap(payload(size)))
        scope.launch {
            while (isActive) if (!push.trySend(message)) push.send(message)
        }
    }

    override fun receive(count: Int) = runBlocking {
        repeat(count) {
            val message = pull.tryReceive() ?: pull.receive()
            if (message.first().size != size) error("received ${message.first().size} bytes, expected $size")
        }
    }
}
