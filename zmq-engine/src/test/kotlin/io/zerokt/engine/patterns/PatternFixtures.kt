package io.zerokt.engine.patterns

import io.zerokt.testing.testContext
import io.kotest.core.spec.style.FunSpec
import io.kotest.core.spec.style.scopes.FunSpecContainerScope
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.testing.Endpoints
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

// Shared machinery of the pattern tests: one fresh endpoint per transport, contexts that are always closed, and
// waits on monitor events or messages (never on the clock).

/** The bound for one wait in a pattern test. */
val WAIT: Duration = 10.seconds

/** The transports every pattern test runs over (ipc twice: a socket file, and a Linux abstract name). */
enum class Transport(private val label: String) {
    INPROC("inproc"),
    IPC("ipc"),
    IPC_ABSTRACT("ipc-abstract"),
    TCP("tcp"),
    ;

    /**
     * A fresh endpoint to bind: a unique inproc name, a socket file in a fresh temp directory, a unique abstract
     * name, or `tcp://127.0.0.1:*`.
     */
    fun freshEndpoint(): String = when (this) {
        INPROC -> Endpoints.inprocEndpoint("patterns")
        IPC -> Endpoints.ipcEndpoint()
        IPC_ABSTRACT -> Endpoints.ipcAbstractEndpoint()
        TCP -> Endpoints.tcpWildcard()
    }

    override fun toString(): String = label
}

/** Registers [body]'s tests once per transport, each group in a context named after it. */
fun FunSpec.overEveryTransport(body: suspend FunSpecContainerScope.(Transport) -> Unit) {
    for (transport in Transport.entries) context("over $transport") { body(transport) }
}

/** Registers [body]'s tests for the stream transports only (what inproc has no notion of: reconnects). */
fun FunSpec.overStreamTransports(body: suspend FunSpecContainerScope.(Transport) -> Unit) {
    for (transport in Transport.entries - Transport.INPROC) context("over $transport") { body(transport) }
}

/**
 * Runs [block] with a fresh context and closes it afterwards, also when [block] fails. The whole block is bounded
 * by [WAIT] times three, so a hung wait fails the test rather than the spec's timeout.
 */
suspend fun withZmqContext(block: suspend CoroutineScope.(Context) -> Unit) {
    val ctx = testContext()
    try {
        withTimeout(WAIT * 3) { coroutineScope { block(ctx) } }
    } finally {
        ctx.close()
    }
}

/**
 * A socket of [type] with LINGER 0 (so a failing test cannot hang its context's close on undelivered messages;
 * the LINGER tests set it themselves), then [configure]d.
 */
fun Context.open(type: SocketType, configure: Socket.() -> Unit = {}): Socket =
    socket(type).apply {
        linger = 0
        configure()
    }

/** Binds to a fresh endpoint of [transport] and returns the endpoint to connect to (the resolved one for tcp). */
suspend fun Socket.bindFresh(transport: Transport): String {
    bind(transport.freshEndpoint())
    return lastEndpoint!!
}

/**
 * Connects each of [connectors] to [endpoint] (bound by [binder]) and returns once every connection has finished
 * its handshake on both sides (HANDSHAKE_SUCCEEDED from every connector and as many from the binder), so that the
 * binder's peers are all attached.
 */
suspend fun connectAndAwait(binder: Socket, endpoint: String, vararg connectors: Socket) = coroutineScope {
    val binderEvents = recordEvents(binder.monitor())
    try {
        for (connector in connectors) {
            val events = recordEvents(connector.monitor())
            try {
                connector.connect(endpoint)
                events.await(MonitorEventType.HANDSHAKE_SUCCEEDED, WAIT)
            } finally {
                events.close()
            }
            binderEvents.await(MonitorEventType.HANDSHAKE_SUCCEEDED, WAIT)
        }
    } finally {
        binderEvents.close()
    }
}

/** Connects [this] to [endpoint] and waits for its own HANDSHAKE_SUCCEEDED only (for a binder that is not ours to watch). */
suspend fun Socket.connectAndAwaitHandshake(endpoint: String) = coroutineScope {
    val events = recordEvents(monitor())
    try {
        connect(endpoint)
        events.await(MonitorEventType.HANDSHAKE_SUCCEEDED, WAIT)
    } finally {
        events.close()
    }
}

/** Receives one message within [WAIT]. */
suspend fun Socket.receiveWithin(timeout: Duration = WAIT): Message = withTimeout(timeout) { receive() }

/** Receives one message and decodes every frame as UTF-8. */
suspend fun Socket.receiveStrings(timeout: Duration = WAIT): List<String> = receiveWithin(timeout).frames.map { it.decodeToString() }

/** Receives [count] single-frame messages as strings. */
suspend fun Socket.receiveTexts(count: Int): List<String> = List(count) { receiveWithin().decodeToString() }

/** Sends a single-frame (or, with several arguments, multipart) text message within [WAIT]. */
suspend fun Socket.sendText(vararg frames: String) = withTimeout(WAIT) { send(Message.of(*frames)) }

/** Sends a multipart message of raw frames within [WAIT]. */
suspend fun Socket.sendFrames(vararg frames: ByteArray) = withTimeout(WAIT) { send(Message.of(*frames)) }

/**
 * Offers [make]`(i)` with `trySend` for i = 0, 1, … until one is refused (the pipes are full) and returns how many
 * were accepted. Fails when nothing refuses within [limit] messages: the sender never felt back-pressure.
 */
fun Socket.fillUntilRefused(limit: Int = 1_000_000, make: (Int) -> Message): Int {
    for (i in 0 until limit) if (!trySend(make(i))) return i
    throw AssertionError("$type accepted $limit messages without ever refusing one")
}
