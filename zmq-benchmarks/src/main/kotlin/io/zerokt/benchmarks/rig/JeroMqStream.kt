package io.zerokt.benchmarks.rig

import org.zeromq.SocketType

/** JeroMQ PUSH → PULL: a thread sends the same payload flat out; the caller receives. */
internal class JeroMqStream(transport: Transport, private val size: Int) : JeroMqRig(), StreamRig {
    private val pull = socket(SocketType.PULL)
    private val push = socket(SocketType.PUSH, POLL_MILLIS)

    init {
        join(pull, transport, listOf(push))
        val bytes = payload(size)
        background("jeromq-push") { while (running) push.send(bytes, 0) }
    }

    override fun receive(count: Int) {
        repeat(count) {
            val bytes = pull.recv(0) ?: error("JeroMQ PULL received nothing for $RIG_TIMEOUT_MILLIS ms")
            if (bytes.size != size) error("received ${bytes.size} bytes, expected $size")
        }
    }
}
