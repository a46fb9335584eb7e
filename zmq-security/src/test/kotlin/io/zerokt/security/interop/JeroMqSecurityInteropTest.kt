package io.zerokt.security.interop

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.Context
import io.zerokt.Message
import io.zerokt.MonitorEventType
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.security.Certificate
import io.zerokt.security.CurveKeyPair
import io.zerokt.security.ZapAuthenticator
import io.zerokt.testing.await
import io.zerokt.testing.recordEvents
import io.zerokt.testing.testContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.zeromq.ZAuth
import org.zeromq.ZCert
import org.zeromq.ZContext
import org.zeromq.ZMQ
import java.nio.file.Files
import kotlin.time.Duration.Companion.seconds

/**
 * PLAIN and CURVE against JeroMQ 0.6.0 in the same JVM, over tcp, both directions: JeroMQ's mechanisms against
 * ours, with our [ZapAuthenticator] on our side and JeroMQ's `ZAuth` on theirs (reading certificates we wrote, and
 * we reading certificates `ZCert` wrote). JeroMQ sockets get a 1 s HANDSHAKE_IVL (zeromq/jeromq#1022).
 */
class JeroMqSecurityInteropTest : FunSpec({
    timeout = 120_000
    // JeroMQ 0.6.0 sometimes never sends its greeting on a fresh connection and does not recover
    // (zeromq/jeromq#1022): a test that meets it runs once more, from fresh contexts. A real failure fails all runs.
    retries = 2
    val wait = 20.seconds
    val serverKeys = CurveKeyPair.generate()
    val clientKeys = CurveKeyPair.generate()

    suspend fun withContexts(block: suspend kotlinx.coroutines.CoroutineScope.(Context, ZContext) -> Unit) {
        val ctx = testContext()
        val jctx = ZContext()
        try {
            withTimeout(60.seconds) { coroutineScope { block(ctx, jctx) } }
        } finally {
            ctx.close()
            withContext(Dispatchers.IO) { jctx.close() }
        }
    }

    fun Context.open(type: SocketType, configure: Socket.() -> Unit): Socket = socket(type).apply { linger = 0; configure() }

    fun ZContext.open(type: org.zeromq.SocketType): ZMQ.Socket = createSocket(type).apply {
        linger = 0
        receiveTimeOut = wait.inWholeMilliseconds.toInt()
        setHandshakeIvl(1000)
    }

    suspend fun <T> blocking(body: () -> T): T = withContext(Dispatchers.IO) { body() }

    test("JeroMQ CURVE client -> ZeroKt CURVE server with our authenticator: both ways, User-Id is the client key") {
        withContexts { ctx, jctx ->
            ZapAuthenticator(ctx).allowCurveKey(clientKeys.publicKey).use { auth ->
                auth.start()
                val server = ctx.open(SocketType.ROUTER) { curveServer = true; curveSecretKey = serverKeys.secretKey }
                server.bind("tcp://127.0.0.1:*")
                val client = jctx.open(org.zeromq.SocketType.DEALER)
                client.setCurveServerKey(serverKeys.publicKey)
                client.setCurvePublicKey(clientKeys.publicKey)
                client.setCurveSecretKey(clientKeys.secretKey)
                client.connect(server.lastEndpoint!!)
                blocking { client.send("from jeromq") }
                val m = withTimeout(wait) { server.receive() }
                m[1].decodeToString() shouldBe "from jeromq"
                m.metadata!!.userId shouldBe clientKeys.publicKeyZ85
                withTimeout(wait) { server.send(Message(m[0], io.zerokt.Frame.of("to jeromq"))) }
                blocking { client.recvStr() } shouldBe "to jeromq"
            }
        }
    }

    test("ZeroKt CURVE client -> JeroMQ CURVE server whose ZAuth reads the certificate directory we wrote") {
        withContexts { ctx, jctx ->
            val dir = Files.createTempDirectory("zkt-jeromq-certs")
            Certificate.of(clientKeys).savePublic(dir.resolve("client.cert"))
            ZAuth(jctx).use { auth ->
                auth.configureCurve(dir.toString())
                auth.replies(false)
                val server = jctx.open(org.zeromq.SocketType.PULL)
                server.setCurveServer(true)
                server.setCurveSecretKey(serverKeys.secretKey)
                server.setCurvePublicKey(serverKeys.publicKey)
                val port = server.bindToRandomPort("tcp://127.0.0.1")
                val client = ctx.open(SocketType.PUSH) {
                    curveServerKey = serverKeys.publicKey
                    curvePublicKey = clientKeys.publicKey
                    curveSecretKey = clientKeys.secretKey
                }
                client.connect("tcp://127.0.0.1:$port")
                withTimeout(wait) { client.send(Message("from zerokt")) }
                blocking { server.recvStr() } shouldBe "from zerokt"
            }
        }
    }

    test("a JeroMQ CURVE client with an unknown key is refused by our authenticator with HANDSHAKE_FAILED_AUTH 400") {
        withContexts { ctx, jctx ->
            ZapAuthenticator(ctx).allowCurveKey(CurveKeyPair.generate().publicKey).use { auth ->
                auth.start()
                val server = ctx.open(SocketType.PULL) { curveServer = true; curveSecretKey = serverKeys.secretKey }
                val events = recordEvents(server.monitor())
                server.bind("tcp://127.0.0.1:*")
                val client = jctx.open(org.zeromq.SocketType.PUSH)
                client.setCurveServerKey(serverKeys.publicKey)
                client.setCurvePublicKey(clientKeys.publicKey)
                client.setCurveSecretKey(clientKeys.secretKey)
                client.connect(server.lastEndpoint!!)
                events.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
                events.close()
            }
        }
    }

    test("JeroMQ PLAIN client -> ZeroKt PLAIN server: accepted, and a wrong password refused with HANDSHAKE_FAILED_AUTH 400") {
        withContexts { ctx, jctx ->
            ZapAuthenticator(ctx).plainUsers("admin" to "secret").use { auth ->
                auth.start()
                val server = ctx.open(SocketType.PULL) { plainServer = true }
                val events = recordEvents(server.monitor())
                server.bind("tcp://127.0.0.1:*")
                val good = jctx.open(org.zeromq.SocketType.PUSH)
                good.setPlainUsername("admin")
                good.setPlainPassword("secret")
                good.connect(server.lastEndpoint!!)
                blocking { good.send("plain from jeromq") }
                val m = withTimeout(wait) { server.receive() }
                m.decodeToString() shouldBe "plain from jeromq"
                m.metadata!!.userId shouldBe "admin"
                val bad = jctx.open(org.zeromq.SocketType.PUSH)
                bad.setPlainUsername("admin")
                bad.setPlainPassword("wrong")
                bad.connect(server.lastEndpoint!!)
                events.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
                events.close()
            }
        }
    }

    test("ZeroKt PLAIN client -> JeroMQ PLAIN server with ZAuth and a password file: accepted, then a wrong password refused") {
        withContexts { ctx, jctx ->
            val passwords = Files.createTempFile("zkt-passwords", ".txt")
            Files.writeString(passwords, "admin=secret\n")
            ZAuth(jctx).use { auth ->
                auth.configurePlain("*", passwords.toString())
                auth.replies(false)
                val server = jctx.open(org.zeromq.SocketType.PULL)
                server.setPlainServer(true)
                val port = server.bindToRandomPort("tcp://127.0.0.1")
                val good = ctx.open(SocketType.PUSH) { plainUsername = "admin"; plainPassword = "secret" }
                good.connect("tcp://127.0.0.1:$port")
                withTimeout(wait) { good.send(Message("plain from zerokt")) }
                blocking { server.recvStr() } shouldBe "plain from zerokt"
                val bad = ctx.open(SocketType.PUSH) { plainUsername = "admin"; plainPassword = "nope" }
                val events = recordEvents(bad.monitor())
                bad.connect("tcp://127.0.0.1:$port")
                events.await(MonitorEventType.HANDSHAKE_FAILED_AUTH, wait).value shouldBe 400
                events.close()
            }
        }
    }

    test("certificates written by JeroMQ's ZCert load as ours, and ours load in ZCert") {
        val dir = Files.createTempDirectory("zkt-zcert")
        val theirs = ZCert()
        theirs.setMeta("name", "jeromq")
        theirs.saveSecret(dir.resolve("theirs_secret").toString())
        theirs.savePublic(dir.resolve("theirs").toString())
        val loaded = Certificate.load(dir.resolve("theirs_secret"))
        loaded.publicKeyZ85 shouldBe theirs.publicKeyAsZ85
        loaded.keyPair.secretKeyZ85 shouldBe theirs.secretKeyAsZ85
        loaded.metadata["name"] shouldBe "jeromq"
        Certificate.load(dir.resolve("theirs")).hasSecretKey shouldBe false

        val ours = Certificate.generate(mapOf("name" to "zerokt"))
        ours.save(dir.resolve("ours"))
        val store = org.zeromq.ZCertStore(dir.toString())
        store.containsPublicKey(ours.publicKeyZ85) shouldBe true
        store.containsPublicKey(theirs.publicKeyAsZ85) shouldBe true
    }
})
