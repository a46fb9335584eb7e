package io.zerokt.engine.internal.transport

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.SocketType
import io.zerokt.ZmqError
import io.zerokt.ZmqException
import io.zerokt.engine.internal.transport.nio.NioStream
import io.zerokt.engine.internal.transport.nio.NioTransport
import io.zerokt.engine.spi.ByteStream
import io.zerokt.engine.spi.TransportOptions
import io.zerokt.engine.spi.ZeroKtInternalApi
import io.zerokt.testing.Endpoints
import jdk.net.ExtendedSocketOptions
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import java.net.StandardSocketOptions
import kotlin.time.Duration.Companion.seconds

/**
 * What the default stream transport applies to the kernel sockets it opens (read back from the sockets themselves),
 * and Linux abstract ipc names as a socket user sees them.
 */
@OptIn(ZeroKtInternalApi::class)
class StreamTransportOptionsTest : FunSpec({
    timeout = 30_000

    /** Connects a pair over tcp with [options] on both ends and runs [check] on (connected, accepted). */
    suspend fun tcpPair(options: TransportOptions, check: (NioStream, NioStream) -> Unit) {
        val transport = NioTransport(1)
        try {
            val listener = transport.listen("tcp", "127.0.0.1:0", options)
            coroutineScope {
                val accepted = async { listener.accept() }
                val connected = transport.connect("tcp", listener.endpoint.removePrefix("tcp://"), options)
                val server: ByteStream = withTimeout(10.seconds) { accepted.await() }
                try {
                    check(connected as NioStream, server as NioStream)
                } finally {
                    connected.close()
                    server.close()
                    listener.close()
                }
            }
        } finally {
            transport.close()
        }
    }

    test("TCP_KEEPALIVE 1 with IDLE, INTVL and CNT SHALL reach the kernel on connected and accepted sockets") {
        val options = TransportOptions(keepAlive = 1, keepAliveIdle = 37, keepAliveInterval = 7, keepAliveCount = 4)
        tcpPair(options) { connected, accepted ->
            for (stream in listOf(connected, accepted)) {
                stream.option(StandardSocketOptions.SO_KEEPALIVE) shouldBe true
                stream.option(ExtendedSocketOptions.TCP_KEEPIDLE) shouldBe 37
                stream.option(ExtendedSocketOptions.TCP_KEEPINTERVAL) shouldBe 7
                stream.option(ExtendedSocketOptions.TCP_KEEPCOUNT) shouldBe 4
                stream.option(StandardSocketOptions.TCP_NODELAY) shouldBe true
            }
        }
    }

    test("TCP_KEEPALIVE 0 SHALL turn keepalive off, and -1 SHALL leave the system default alone") {
        tcpPair(TransportOptions(keepAlive = 0)) { connected, accepted ->
            connected.option(StandardSocketOptions.SO_KEEPALIVE) shouldBe false
            accepted.option(StandardSocketOptions.SO_KEEPALIVE) shouldBe false
        }
        tcpPair(TransportOptions(keepAlive = -1)) { connected, _ ->
            connected.option(StandardSocketOptions.SO_KEEPALIVE) shouldBe false // Linux's default for a new socket
        }
    }

    test("SNDBUF and RCVBUF SHALL reach accepted sockets too") {
        tcpPair(TransportOptions(sendBuffer = 48 * 1024, receiveBuffer = 48 * 1024)) { _, accepted ->
            // What the kernel reports back for the value given (the JDK shows it as set).
            accepted.option(StandardSocketOptions.SO_SNDBUF) shouldBe 48 * 1024
            accepted.option(StandardSocketOptions.SO_RCVBUF) shouldBe 48 * 1024
        }
    }

    test("ipc://@name SHALL bind a Linux abstract name that a second bind finds in use, and carry messages") {
        Context().use { ctx ->
            val endpoint = Endpoints.ipcAbstractEndpoint()
            val pull = ctx.socket(SocketType.PULL).apply { linger = 0 }
            val push = ctx.socket(SocketType.PUSH).apply { linger = 0 }
            pull.bind(endpoint)
            pull.lastEndpoint shouldBe endpoint
            val again = ctx.socket(SocketType.PULL).apply { linger = 0 }
            shouldThrow<ZmqException> { again.bind(endpoint) }.error shouldBe ZmqError.EADDRINUSE
            push.connect(endpoint)
            withTimeout(10.seconds) {
                push.send(Message("over the abstract namespace"))
                pull.receive().decodeToString() shouldBe "over the abstract namespace"
            }
        }
    }

    test("ipc://@ with an empty name SHALL fail with EINVAL") {
        Context().use { ctx ->
            val socket = ctx.socket(SocketType.PULL).apply { linger = 0 }
            shouldThrow<ZmqException> { socket.bind("ipc://@") }.let {
                it.error shouldBe ZmqError.EINVAL
                it.message!! shouldContain "empty ipc abstract name"
            }
        }
    }
})
