package io.zerokt.security

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.ProtocolError
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.ZMQ_MECHANISM
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import io.zerokt.testing.testContext
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import java.nio.file.Files
import kotlin.time.Duration.Companion.seconds

/**
 * CURVE (RFC 25/26) between two ZeroKt sockets over tcp and ipc, and the [ZapAuthenticator] deciding for CURVE and
 * PLAIN: accepted and refused client keys, a wrong server key, multipart and large messages, metadata on received
 * messages.
 */
class CurveSocketTest : FunSpec({
    timeout = 60_000
    val wait = 10.seconds

    suspend fun withContext(block: suspend kotlinx.coroutines.CoroutineScope.(Context) -> Unit) {
        val ctx = testContext()
        try {
            withTimeout(30.seconds) { coroutineScope { block(ctx) } }
        } finally {
            ctx.close()
        }
    }

    fun Context.open(type: SocketType, configure: Socket.() -> Unit): Socket = socket(type).apply { linger = 0; configure() }

    val server = CurveKeyPair.generate()
    val client = CurveKeyPair.generate()

    fun Socket.curveServerOf(keys: CurveKeyPair) {
        curveServer = true
        curveSecretKey = keys.secretKeyZ85.encodeToByteArray()
    }

    fun Socket.curveClientOf(keys: CurveKeyPair, serverKey: ByteArray) {
        curveServerKey = serverKey
        curvePublicKey = keys.publicKey
        curveSecretKey = keys.secretKey
    }

    for (scheme in listOf("tcp", "ipc")) {
        fun endpoint() = if (scheme == "tcp") "tcp://127.0.0.1:*" else "ipc://" + Files.createTempDirectory("zkt-curve").resolve("s")

        test("over $scheme: a CURVE client and server exchange multipart and 1 MiB messages both ways, with no ZAP handler") {
            withContext { ctx ->
                val rep = ctx.open(SocketType.ROUTER) { curveServerOf(server) }
                val req = ctx.open(SocketType.DEALER) { curveClientOf(client, server.publicKey) }
                rep.getOption(ZMQ_MECHANISM) shouldBe 2
                rep.bind(endpoint())
                req.connect(rep.lastEndpoint!!)
                val big = ByteArray(1 shl 20) { it.toByte() }
                withTimeout(wait) { req.send(Message(Frame.of("a"), Frame.EMPTY, Frame.of(big))) }
                val got = withTimeout(wait) { rep.receive() }
                got.size shouldBe 4
                got[1].decodeToString() shouldBe "a"
                got[3].toByteArray() shouldBe big
                got.metadata!!["Socket-Type"] shouldBe "DEALER"
                for (i in 0 until 100) withTimeout(wait) { rep.send(Message(got[0], Frame.of("r$i"))) }
                for (i in 0 until 100) withTimeout(wait) { req.receive() }.decodeToString() shouldBe "r$i"
            }
        }
    }

    test("the authenticator lets a known client key in and gives its Z85 key as User-Id") {
        withContext { ctx ->
            val auth = ZapAuthenticator(ctx).allowCurveKey(client.publicKeyZ85)
            auth.start()
            val pull = ctx.open(SocketType.PULL) { curveServerOf(server) }
            val push = ctx.open(SocketType.PUSH) { curveClientOf(client, server.publicKey) }
            pull.bind("tcp://127.0.0.1:*")
            push.connect(pull.lastEndpoint!!)
            withTimeout(wait) { push.send(Message("hi")) }
            val m = withTimeout(wait) { pull.receive() }
            m.metadata!!.userId shouldBe client.publicKeyZ85
            m.metadata!!.peerAddress shouldBe "127.0.0.1"
            auth.close()
        }
    }

    test("an unknown client key is refused with HANDSHAKE_FAILED_AUTH 400 on both sides") {
        withContext { ctx ->
            val auth = ZapAuthenticator(ctx).allowCurveKey(CurveKeyPair.generate().publicKey)
            auth.start()
            val pull = ctx.open(SocketType.PULL) { curveServerOf(server) }
            val push = ctx.open(SocketType.PUSH) { curveClientOf(client, server.publicKey) }
            val serverEvents = recordEvents(pull.monitor())
            val clientEvents = recordEvents(push.monitor())
            pull.bind("tcp://127.0.0.1:*")
            push.connect(pull.lastEndpoint!!)
            serverEvents.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
            clientEvents.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
            serverEvents.close()
            clientEvents.close()
            auth.close()
        }
    }

    test("a client with the wrong server key fails with ZMTP_CRYPTOGRAPHIC on the server, whose other clients go on") {
        withContext { ctx ->
            val pull = ctx.open(SocketType.PULL) { curveServerOf(server) }
            val bad = ctx.open(SocketType.PUSH) { curveClientOf(client, CurveKeyPair.generate().publicKey) }
            val good = ctx.open(SocketType.PUSH) { curveClientOf(client, server.publicKey) }
            val serverEvents = recordEvents(pull.monitor())
            pull.bind("tcp://127.0.0.1:*")
            bad.connect(pull.lastEndpoint!!)
            val failed = serverEvents.await(MonitorEventType.HANDSHAKE_FAILED_PROTOCOL, wait)
            failed.protocolError shouldBe ProtocolError.ZMTP_CRYPTOGRAPHIC
            good.connect(pull.lastEndpoint!!)
            withTimeout(wait) { good.send(Message("still here")) }
            withTimeout(wait) { pull.receive() }.decodeToString() shouldBe "still here"
            serverEvents.close()
        }
    }

    test("PLAIN through the authenticator: users from memory and from a password file, wrong ones refused") {
        withContext { ctx ->
            val file = Files.createTempFile("zkt-users", ".txt")
            Files.writeString(file, "# users\nbob=builder\n")
            val auth = ZapAuthenticator(ctx).plainUsers("admin" to "secret").plainPasswordFile(file)
            auth.start()
            val pull = ctx.open(SocketType.PULL) { plainServer = true }
            pull.bind("tcp://127.0.0.1:*")
            for ((user, password) in listOf("admin" to "secret", "bob" to "builder")) {
                val push = ctx.open(SocketType.PUSH) { plainUsername = user; plainPassword = password }
                push.connect(pull.lastEndpoint!!)
                withTimeout(wait) { push.send(Message(user)) }
                val m = withTimeout(wait) { pull.receive() }
                m.decodeToString() shouldBe user
                m.metadata!!.userId shouldBe user
                push.close()
            }
            val wrong = ctx.open(SocketType.PUSH) { plainUsername = "bob"; plainPassword = "nope" }
            val events = recordEvents(wrong.monitor())
            wrong.connect(pull.lastEndpoint!!)
            events.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
            events.close()
            auth.close()
        }
    }

    test("an address on the deny list is refused even with the right credentials") {
        withContext { ctx ->
            val auth = ZapAuthenticator(ctx).curveAllowAny().deny("127.0.0.1")
            auth.start()
            val pull = ctx.open(SocketType.PULL) { curveServerOf(server) }
            val push = ctx.open(SocketType.PUSH) { curveClientOf(client, server.publicKey) }
            val events = recordEvents(pull.monitor())
            pull.bind("tcp://127.0.0.1:*")
            push.connect(pull.lastEndpoint!!)
            events.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
            events.close()
            auth.close()
        }
    }
})
