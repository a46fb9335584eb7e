package io.zerokt.engine.security

import io.zerokt.Context
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/**
 * A minimal RFC 27 ZAP handler for the engine's own tests (the real authenticator lives in `zmq-security`): a
 * ROUTER at `inproc://zeromq.zap.01` that accepts PLAIN [users] (name to password) with User-Id = the name, and
 * records every request it saw.
 */
class TestZapHandler(private val ctx: Context, private val users: Map<String, String>) {
    /** Every request, as its frames after the routing envelope. */
    val requests: MutableList<List<ByteArray>> = java.util.Collections.synchronizedList(ArrayList())

    private val socket = ctx.socket(SocketType.ROUTER).apply { linger = 0 }

    /** Binds and serves until [job] is cancelled. */
    suspend fun start(scope: CoroutineScope): Job {
        socket.bind("inproc://zeromq.zap.01")
        return scope.launch {
            try {
                while (true) {
                    val m = socket.receive()
                    val f = m.frames.map { it.toByteArray() }
                    // [routing id, "", "1.0", id, domain, address, identity, mechanism, credentials...]
                    requests += f.drop(2)
                    val mechanism = f[7].decodeToString()
                    val ok = mechanism == "PLAIN" && users[f[8].decodeToString()] == f[9].decodeToString()
                    val (code, text, user) = if (ok) Triple("200", "OK", f[8].decodeToString()) else Triple("400", "No access", "")
                    socket.send(
                        Message.wrap(listOf(Frame.of(f[0]), Frame.EMPTY, Frame.of("1.0"), Frame.of(f[3]), Frame.of(code), Frame.of(text), Frame.of(user), Frame.EMPTY)),
                    )
                }
            } finally {
                socket.close()
            }
        }
    }
}
