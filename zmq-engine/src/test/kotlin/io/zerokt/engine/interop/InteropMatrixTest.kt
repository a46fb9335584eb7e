package io.zerokt.engine.interop

import io.zerokt.testing.testContext
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.SocketType.*
import io.zerokt.testing.Endpoints
import io.zerokt.testing.Interop
import io.zerokt.testing.InteropPeer
import io.zerokt.testing.JeroMqPeer
import io.zerokt.testing.PyZmqPeer
import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import io.zerokt.ProtocolError
import io.zerokt.testing.await
import io.zerokt.testing.awaitCondition
import io.zerokt.testing.recordEvents
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * Interop, both directions, every compatible socket pair: ZeroKt on one side, a real implementation nobody here
 * wrote on the other — JeroMQ in the same JVM (tcp) and libzmq 4.3 through pyzmq (tcp, ipc and abstract ipc). Each pair is run
 * with ZeroKt binding and with ZeroKt connecting.
 *
 * libzmq tests skip loudly when pyzmq is missing, and fail under `-Dinterop.required=true` (CI).
 */
class InteropMatrixTest : FunSpec({
    // A case that meets a JeroMQ stall runs twice, up to 30 s each.
    timeout = 90_000

    val pairs = listOf(
        PUSH to PULL, PULL to PUSH, REQ to REP, REP to REQ, DEALER to ROUTER, ROUTER to DEALER,
        DEALER to REP, REQ to ROUTER, DEALER to DEALER, PUB to SUB, SUB to PUB, XPUB to SUB, XSUB to PUB, PAIR to PAIR,
    )
    val peers: List<Pair<String, () -> InteropPeer>> = listOf("JeroMQ" to { JeroMqPeer.start() }, "libzmq" to { PyZmqPeer.start() })

    for ((implementation, start) in peers) {
        val transports = if (implementation == "libzmq") listOf("tcp", "ipc", "ipc-abstract") else listOf("tcp")
        for (transport in transports) for ((ours, theirs) in pairs) for (weBind in listOf(true, false)) {
            val name = "$ours (ZeroKt, ${if (weBind) "binds" else "connects"}) talks to $theirs ($implementation) over $transport"
            test(name).config(enabledOrReasonIf = if (implementation == "libzmq") Interop.libzmqEnabledOrReason else { _ -> io.kotest.core.test.Enabled.enabled }) {
                if (implementation == "libzmq") Interop.requireLibzmq()
                try {
                    runCase(start, transport, implementation, ours, theirs, weBind)
                } catch (e: JeroMqStalled) {
                    // JeroMQ 0.6.0's poller can leave a connection it makes, or re-makes, without its selector
                    // registration (zeromq/jeromq#1022): no greeting, or no read after the handshake. Such a run is
                    // made once more from a fresh context and peer; a failure without a stall fails at once.
                    println("$name: JeroMQ stalled (zeromq/jeromq#1022?); running it once more. ${e.message}")
                    runCase(start, transport, implementation, ours, theirs, weBind)
                }
            }
        }
    }
})

/** A JeroMQ case that failed after a connection stalled or was re-made (see [runCase]). */
private class JeroMqStalled(message: String, cause: Throwable) : AssertionError(message, cause)

/** True when [events] show a connection that made no handshake in time, or more than one connection. */
private fun stalled(events: List<MonitorEvent>): Boolean =
    events.any { it.protocolError == ProtocolError.HANDSHAKE_TIMEOUT } ||
        events.count { it.type == MonitorEventType.ACCEPTED || it.type == MonitorEventType.CONNECTED } > 1

/** One case: [ours] (ZeroKt) against [theirs] on a fresh peer from [start], binding or connecting per [weBind]. */
private suspend fun runCase(
    start: () -> InteropPeer,
    transport: String,
    implementation: String,
    ours: SocketType,
    theirs: SocketType,
    weBind: Boolean,
) = coroutineScope {
    testContext().use { ctx ->
        start().use { peer ->
            val socket = ctx.socket(ours)
            socket.linger = 0
            // JeroMQ 0.6.0 sometimes leaves a fresh connection without its greeting (zeromq/jeromq#1022):
            // a short handshake limit on both sides remakes such a connection within seconds.
            socket.handshakeInterval = 2_000
            // Every monitor event of the test, shown with any failure: which connections came and went.
            val history = recordEvents(socket.monitor())
            fun failed(e: Throwable): AssertionError {
                val message = "${e.message}\nmonitor events of our socket: ${history.events}"
                return if (implementation == "JeroMQ" && stalled(history.events)) JeroMqStalled(message, e) else AssertionError(message, e)
            }
            try {
                withTimeout(30.seconds) {
                    io { peer.socket(theirs) }
                    if (theirs == SUB) io { peer.setOption("SUBSCRIBE", "A") }
                    if (ours == SUB) socket.subscribe("A")
                    val endpoint = when (transport) {
                        "tcp" -> "tcp://127.0.0.1:*"
                        "ipc" -> Endpoints.ipcEndpoint()
                        else -> Endpoints.ipcAbstractEndpoint()
                    }
                    if (weBind && implementation == "JeroMQ") {
                        socket.bind(endpoint)
                        connectJeroMq(socket, peer, socket.lastEndpoint!!)
                    } else if (weBind) {
                        socket.bind(endpoint)
                        io { peer.connect(socket.lastEndpoint!!) }
                    } else {
                        val bound = io { peer.bind(endpoint) }
                        socket.connect(bound)
                    }
                    exchange(socket, ours, peer, theirs)
                }
            } catch (e: TimeoutCancellationException) {
                throw failed(e)
            } catch (e: CancellationException) {
                throw e
            } catch (e: Throwable) {
                throw failed(e) // an assertion, or a peer's missing reply (null) met by `!!`
            } finally {
                history.close()
            }
            socket.close()
        }
    }
}

private suspend fun <T> io(block: () -> T): T = withContext(Dispatchers.IO) { block() }

/**
 * Connects a JeroMQ peer to [socket] and waits for the handshake. JeroMQ 0.6.0 sometimes loses the hand-off of a
 * fresh outgoing connection to its I/O thread (zeromq/jeromq#1022). Its own 1 s handshake timer usually remakes
 * such a connection, but in CI under load a test once waited 30 s after our side had dropped the silent connection
 * (HANDSHAKE_TIMEOUT) without JeroMQ ever connecting again. Such a peer is reconnected here (twice at most); our
 * listener must accept the new connection, so a fault on our side still fails the test.
 */
private suspend fun connectJeroMq(socket: Socket, peer: InteropPeer, endpoint: String) = coroutineScope {
    val events = recordEvents(socket.monitor())
    try {
        io { peer.connect(endpoint) }
        var attempt = 1
        while (runCatching { events.await(MonitorEventType.HANDSHAKE_SUCCEEDED, 5.seconds) }.isFailure) {
            if (attempt++ == 3) throw AssertionError("JeroMQ never completed a handshake with $socket; events ${events.events}")
            println("JeroMQ peer made no handshake within 5 s (zeromq/jeromq#1022?); events ${events.events}; reconnecting it")
            io { peer.disconnect(endpoint) }
            io { peer.connect(endpoint) }
        }
        // A connection JeroMQ gives up on can still finish its handshake on our side (late, or just before JeroMQ's
        // 1 s handshake timer or our disconnect drops it). Until our side sees it closed, a PUSH or DEALER would
        // hand it every other message, lost with it. Start the exchange once exactly one handshaken connection lives.
        awaitCondition(5.seconds, describe = { "exactly one live connection from JeroMQ (events ${events.events})" }) {
            liveConnections(events.events) == 1
        }
    } finally {
        events.close()
    }
}

/** How many connections have completed a handshake and not since been closed, by remote address. */
private fun liveConnections(events: List<MonitorEvent>): Int {
    val live = HashSet<String?>()
    for (e in events) when (e.type) {
        MonitorEventType.HANDSHAKE_SUCCEEDED -> live += e.remoteAddress
        MonitorEventType.DISCONNECTED -> live -= e.remoteAddress
        else -> Unit
    }
    return live.size
}

private fun strings(frames: List<ByteArray>?): List<String>? = frames?.map { it.decodeToString() }

/** Exchanges a few messages the way [ours] and [theirs] talk, asserting what each side sees. */
private suspend fun exchange(socket: Socket, ours: SocketType, peer: InteropPeer, theirs: SocketType) {
    when (ours) {
        PUSH -> {
            repeat(3) { socket.send(Message.of("m$it", "second")) }
            repeat(3) { strings(io { peer.recv() }) shouldBe listOf("m$it", "second") }
        }
        PULL -> {
            repeat(3) { i -> io { peer.sendStrings("m$i", "second") } }
            repeat(3) { socket.receive().frames.map { f -> f.decodeToString() } shouldBe listOf("m$it", "second") }
        }
        REQ -> repeat(3) {
            socket.send(Message("q$it"))
            if (it == 0 && theirs == REP) {
                // A request queued to a connection that JeroMQ then drops (zeromq/jeromq#1022) is lost, as with
                // libzmq: retry the first one, lazy-pirate style, with REQ_RELAXED.
                socket.reqRelaxed = true
                var request = io { peer.recv(3_000) }
                while (request == null) {
                    socket.send(Message("q$it"))
                    request = io { peer.recv(3_000) }
                }
                strings(request) shouldBe listOf("q$it")
                io { peer.sendStrings("a$it") }
                socket.receive().decodeToString() shouldBe "a$it"
                socket.reqRelaxed = false
                return@repeat
            }
            if (theirs == ROUTER) {
                val request = io { peer.recv() }!!
                strings(request.drop(1)) shouldBe listOf("", "q$it")
                io { peer.send(listOf(request[0], ByteArray(0), "a$it".encodeToByteArray())) }
            } else {
                strings(io { peer.recv() }) shouldBe listOf("q$it")
                io { peer.sendStrings("a$it") }
            }
            socket.receive().decodeToString() shouldBe "a$it"
        }
        REP -> repeat(3) {
            io { peer.sendStrings("q$it", "more") }
            socket.receive().frames.map { f -> f.decodeToString() } shouldBe listOf("q$it", "more")
            socket.send(Message("a$it"))
            strings(io { peer.recv() }) shouldBe listOf("a$it")
        }
        DEALER -> repeat(3) {
            if (theirs == REP) {
                socket.send(Message.of("", "q$it"))
                strings(io { peer.recv() }) shouldBe listOf("q$it")
                io { peer.sendStrings("a$it") }
                socket.receive().frames.map { f -> f.decodeToString() } shouldBe listOf("", "a$it")
            } else if (theirs == ROUTER) {
                socket.send(Message("q$it"))
                val got = io { peer.recv() }!!
                strings(got.drop(1)) shouldBe listOf("q$it")
                io { peer.send(listOf(got[0], "a$it".encodeToByteArray())) }
                socket.receive().decodeToString() shouldBe "a$it"
            } else {
                socket.send(Message("q$it"))
                strings(io { peer.recv() }) shouldBe listOf("q$it")
                io { peer.sendStrings("a$it") }
                socket.receive().decodeToString() shouldBe "a$it"
            }
        }
        ROUTER -> repeat(3) {
            io { peer.sendStrings("q$it") }
            val got = socket.receive()
            got.size shouldBe 2
            got[1].decodeToString() shouldBe "q$it"
            socket.send(Message(got[0], Frame.of("a$it")))
            strings(io { peer.recv() }) shouldBe listOf("a$it")
        }
        PUB -> {
            // Subscriptions travel asynchronously: publish until the subscriber has seen a match.
            var received: List<String>? = null
            while (received == null) {
                socket.send(Message("B-filtered"))
                socket.send(Message("A-match"))
                received = strings(io { peer.recv(50) })
            }
            received shouldBe listOf("A-match")
        }
        SUB -> {
            var received: Message? = null
            while (received == null) {
                io { peer.sendStrings("B-filtered"); peer.sendStrings("A-match") }
                received = socket.tryReceive() ?: run { kotlinx.coroutines.delay(20); socket.tryReceive() }
            }
            received.decodeToString() shouldBe "A-match"
        }
        XPUB -> {
            // libzmq and JeroMQ attach a new pipe (and send its subscriptions) only when their application thread
            // next touches the socket, so keep the peer busy receiving while we wait.
            var subscription: Message? = null
            while (subscription == null) {
                io { peer.recv(20) }
                subscription = socket.tryReceive()
            }
            subscription.first().toByteArray().toList() shouldBe (byteArrayOf(1) + "A".encodeToByteArray()).toList()
        }
        XSUB -> {
            socket.send(Message(Frame.wrap(byteArrayOf(1) + "A".encodeToByteArray())))
            var received: Message? = null
            while (received == null) {
                io { peer.sendStrings("B-filtered"); peer.sendStrings("A-match") }
                received = socket.tryReceive() ?: run { kotlinx.coroutines.delay(20); socket.tryReceive() }
            }
            received.decodeToString() shouldBe "A-match"
        }
        PAIR -> {
            socket.send(Message("to-them"))
            strings(io { peer.recv() }) shouldBe listOf("to-them")
            io { peer.sendStrings("to-us") }
            socket.receive().decodeToString() shouldBe "to-us"
        }
        else -> error("no scenario for $ours")
    }
    ours shouldNotBe null
}
