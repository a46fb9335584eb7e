package io.zerokt.security

import io.zerokt.Context
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.Socket
import io.zerokt.SocketType
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.slf4j.LoggerFactory
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.ConcurrentHashMap

/**
 * A ZAP handler (RFC 27) for one [Context], as czmq's `zauth` and JeroMQ's `ZAuth` are: it binds
 * `inproc://zeromq.zap.01` and answers every PLAIN/CURVE/NULL server socket of the context.
 *
 * Rules, checked in this order for every handshake:
 * 1. IP addresses: if any address was [allow]ed, only those pass; an address that was [deny]ed never passes.
 * 2. NULL: passes (after the address check).
 * 3. PLAIN: the user name and password must match a [plainUsers] entry or a line `user=password` of a
 *    [plainPasswordFile] (read again on every request, so edits apply at once). User-Id = the user name.
 * 4. CURVE: passes when [curveAllowAny] is set, or the client's public key was given to [allowCurveKey] or is in a
 *    certificate of [curveCertificateDirectory] (read on every request). User-Id = the client key in Z85.
 *
 * Anything else is refused with status 400. The domain is not looked at (czmq's `zauth` does the same).
 *
 * Start it with [start] before the server sockets handshake; [close] unbinds it. Configuration may change while it
 * runs. Passwords never appear in logs; with [verbose] each decision is logged at INFO with the user name or key.
 *
 * ```kotlin
 * val auth = ZapAuthenticator(ctx).apply { plainUsers("admin" to "secret") }
 * auth.start()
 * val server = ctx.socket(SocketType.REP).apply { plainServer = true }
 * ```
 */
public class ZapAuthenticator(private val context: Context) : AutoCloseable {
    private val allowed: MutableSet<String> = ConcurrentHashMap.newKeySet()
    private val denied: MutableSet<String> = ConcurrentHashMap.newKeySet()
    private val passwords = ConcurrentHashMap<String, String>()
    private val curveKeys: MutableSet<String> = ConcurrentHashMap.newKeySet()
    @Volatile private var passwordFile: Path? = null
    @Volatile private var certificateDirectory: Path? = null
    @Volatile private var anyCurveKey = false
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    @Volatile private var socket: Socket? = null
    @Volatile private var job: Job? = null

    /** Logs each decision at INFO (never a password). */
    @Volatile public var verbose: Boolean = false

    /** Lets only these IP addresses in (and those allowed before); czmq's `ALLOW`. */
    public fun allow(vararg addresses: String): ZapAuthenticator = apply { allowed += addresses }

    /** Keeps these IP addresses out; czmq's `DENY`. */
    public fun deny(vararg addresses: String): ZapAuthenticator = apply { denied += addresses }

    /** Adds PLAIN users (name to password), kept in memory. */
    public fun plainUsers(vararg users: Pair<String, String>): ZapAuthenticator = apply { users.forEach { (u, p) -> passwords[u] = p } }

    /** Checks PLAIN credentials against a file of `user=password` lines too (czmq's `PLAIN` with a password file). */
    public fun plainPasswordFile(path: Path): ZapAuthenticator = apply { passwordFile = path }

    /** Accepts any CURVE client key (czmq's `CURVE` with `CURVE_ALLOW_ANY`). */
    public fun curveAllowAny(allow: Boolean = true): ZapAuthenticator = apply { anyCurveKey = allow }

    /** Accepts the CURVE client with this public key (32 bytes). */
    public fun allowCurveKey(publicKey: ByteArray): ZapAuthenticator = apply {
        require(publicKey.size == 32) { "a CURVE public key is 32 bytes, got ${publicKey.size}" }
        curveKeys += Z85.encode(publicKey)
    }

    /** Accepts the CURVE client with this Z85 public key. */
    public fun allowCurveKey(publicKeyZ85: String): ZapAuthenticator = allowCurveKey(Z85.decode(publicKeyZ85))

    /** Accepts the CURVE clients whose public certificates (zcert files) are in [directory] (czmq's `CURVE` with a location). */
    public fun curveCertificateDirectory(directory: Path): ZapAuthenticator = apply { certificateDirectory = directory }

    /** Binds `inproc://zeromq.zap.01` and starts answering. Throws EADDRINUSE when another handler is bound. */
    public suspend fun start() {
        check(socket == null) { "this ZapAuthenticator was started already" }
        val s = context.socket(SocketType.ROUTER)
        s.linger = 0
        try {
            s.bind(ENDPOINT)
        } catch (e: Exception) {
            s.close()
            throw e
        }
        socket = s
        job = scope.launch { serve(s) }
    }

    /** [start] for callers outside coroutines. */
    public fun startBlocking(): Unit = runBlocking { start() }

    private suspend fun serve(s: Socket) {
        while (true) {
            val request = try {
                s.receive()
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                return // the socket or its context was closed
            }
            val reply = answer(request) ?: continue
            try {
                s.send(reply)
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                return
            }
        }
    }

    /** The reply to one request (routing id first), or null for a request too broken to answer. */
    internal fun answer(request: Message): Message? {
        val f = request.frames
        // [routing id, "", "1.0", request id, domain, address, identity, mechanism, credentials...]
        if (f.size < 8 || f[1].size != 0) return null
        val requestId = f[3]
        if (f[2].decodeToString() != "1.0") return reply(f[0], requestId, "400", "Invalid version", "")
        val address = f[5].decodeToString()
        val mechanism = f[7].decodeToString()
        val credentials = f.drop(8)
        val decision = decide(address, mechanism, credentials)
        if (verbose) log.info("ZAP {} from {}: {} {}", mechanism, address, decision.code, decision.text)
        return reply(f[0], requestId, decision.code, decision.text, decision.userId)
    }

    private class Decision(val code: String, val text: String, val userId: String)

    private fun decide(address: String, mechanism: String, credentials: List<Frame>): Decision {
        if (address in denied) return Decision("400", "Address is denied", "")
        if (allowed.isNotEmpty() && address !in allowed) return Decision("400", "Address is not allowed", "")
        return when (mechanism) {
            "NULL" -> Decision("200", "OK", "")
            "PLAIN" -> {
                if (credentials.size != 2) return Decision("400", "Malformed PLAIN credentials", "")
                val user = credentials[0].decodeToString()
                val password = credentials[1].decodeToString()
                if (passwordOf(user)?.let { constantTimeEquals(it, password) } == true) Decision("200", "OK", user)
                else Decision("400", "Invalid username or password", "")
            }
            "CURVE" -> {
                if (credentials.size != 1 || credentials[0].size != 32) return Decision("400", "Malformed CURVE credentials", "")
                val key = Z85.encode(credentials[0].toByteArray())
                if (anyCurveKey || key in curveKeys || key in directoryKeys()) Decision("200", "OK", key)
                else Decision("400", "Unknown public key", "")
            }
            else -> Decision("400", "Unsupported mechanism", "")
        }
    }

    private fun passwordOf(user: String): String? {
        passwords[user]?.let { return it }
        val file = passwordFile ?: return null
        return runCatching { Files.readAllLines(file) }.getOrDefault(emptyList())
            .asSequence()
            .map { it.trim() }
            .filter { it.isNotEmpty() && !it.startsWith("#") && '=' in it }
            .firstOrNull { it.substringBefore('=') == user }
            ?.substringAfter('=')
    }

    private fun directoryKeys(): Set<String> {
        val dir = certificateDirectory ?: return emptySet()
        val files = runCatching { Files.list(dir).use { s -> s.toList() } }.getOrDefault(emptyList())
        return files.filter { Files.isRegularFile(it) && !it.fileName.toString().endsWith("_secret") }
            .mapNotNull { runCatching { Certificate.load(it).publicKeyZ85 }.getOrNull() }
            .toSet()
    }

    private fun constantTimeEquals(a: String, b: String): Boolean =
        java.security.MessageDigest.isEqual(a.toByteArray(), b.toByteArray())

    private fun reply(routingId: Frame, requestId: Frame, code: String, text: String, userId: String): Message =
        Message.wrap(
            listOf(routingId, Frame.EMPTY, Frame.of("1.0"), requestId, Frame.of(code), Frame.of(text), Frame.of(userId), Frame.EMPTY),
        )

    /** Stops answering and unbinds. Idempotent. */
    override fun close() {
        job?.cancel()
        socket?.close()
        scope.cancel()
    }

    override fun toString(): String =
        "ZapAuthenticator(allowed=${allowed.size}, denied=${denied.size}, users=${passwords.size}, curveKeys=${curveKeys.size}, allowAny=$anyCurveKey)"

    private companion object {
        const val ENDPOINT = "inproc://zeromq.zap.01"
        val log = LoggerFactory.getLogger(ZapAuthenticator::class.java)
    }
}
