package io.zerokt.benchmarks.rig

import io.zerokt.Context
import io.zerokt.Socket
import io.zerokt.SocketType
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking

/**
 * The ZeroKt side of a rig: one context with one I/O thread, a scope on [Dispatchers.Default] for the background
 * parties (sender, echo server, consumers), and sockets whose waits end after [RIG_TIMEOUT_MILLIS].
 */
internal abstract class ZeroKtRig : Rig {
    protected val context: Context = Context(1)
    protected val scope: CoroutineScope = CoroutineScope(SupervisorJob() + Dispatchers.Default + CoroutineName("zkt-bench"))

    /** A socket with LINGER 0 and both timeouts set. */
    protected fun socket(type: SocketType): Socket = context.socket(type).apply {
        linger = 0
        sendTimeout = RIG_TIMEOUT_MILLIS
        receiveTimeout = RIG_TIMEOUT_MILLIS
    }

    /** Binds [server] to a fresh [transport] endpoint and connects every one of [clients] to it. */
    protected fun join(server: Socket, transport: Transport, clients: List<Socket>) = runBlocking {
        val endpoint = transport.bindEndpoint()
        server.bind(endpoint)
        val resolved = server.lastEndpoint ?: endpoint
        for (client in clients) client.connect(resolved)
    }

    override fun close() {
        scope.cancel()
        context.close()
    }
}
