package io.zerokt.examples.zkt

import io.zerokt.Context
import io.zerokt.Socket
import io.zerokt.security.Z85
import io.zerokt.security.ZapAuthenticator
import picocli.CommandLine.Model.CommandSpec
import picocli.CommandLine.Option
import picocli.CommandLine.ParameterException
import java.nio.file.Files
import java.nio.file.Path
import java.util.IdentityHashMap

/**
 * PLAIN and CURVE options of `zkt cat`, `zkt echo` and the other socket commands (a picocli mixin of
 * [CommonOptions]).
 *
 * Server options (`--plain-server`, `--plain-users`, `--curve-server`, `--curve-allow`, `--curve-allow-any`) go to
 * sockets of [Role.SERVER] and client options (`--plain-username/--plain-password`, `--curve-server-key`) to
 * sockets of [Role.CLIENT] when both kinds are given (`zkt perf`); a single socket takes whichever is given.
 * `--plain-users` and `--curve-allow`/`--curve-allow-any` start a [ZapAuthenticator] in the socket's context. A
 * CURVE server without them accepts any client key (libzmq's behaviour with no ZAP handler).
 */
class SecurityOptions {
    @Option(names = ["--plain-server"], description = ["Be a PLAIN server (needs --plain-users)."])
    var plainServer: Boolean = false

    @Option(names = ["--plain-users"], paramLabel = "FILE", description = ["PLAIN users for the server: lines user=password."])
    var plainUsers: Path? = null

    @Option(names = ["--plain-username"], paramLabel = "USER", description = ["Be a PLAIN client with this user name."])
    var plainUsername: String? = null

    @Option(names = ["--plain-password"], paramLabel = "PASSWORD", description = ["The PLAIN client's password."])
    var plainPassword: String? = null

    @Option(names = ["--curve-server"], description = ["Be a CURVE server (needs --curve-secret-key)."])
    var curveServer: Boolean = false

    @Option(names = ["--curve-secret-key"], paramLabel = "Z85", description = ["This socket's CURVE secret key (from zkt keygen)."])
    var curveSecretKey: String? = null

    @Option(names = ["--curve-public-key"], paramLabel = "Z85", description = ["This socket's CURVE public key (client)."])
    var curvePublicKey: String? = null

    @Option(names = ["--curve-server-key"], paramLabel = "Z85", description = ["Be a CURVE client of the server with this public key."])
    var curveServerKey: String? = null

    @Option(names = ["--curve-allow"], paramLabel = "Z85", description = ["Accept this CURVE client key (repeatable)."])
    var curveAllow: List<String> = emptyList()

    @Option(names = ["--curve-allow-any"], description = ["Accept any CURVE client key (through the authenticator)."])
    var curveAllowAny: Boolean = false

    private val authenticators = IdentityHashMap<Context, ZapAuthenticator>()

    private val serverGiven get() = plainServer || curveServer
    private val clientGiven get() = plainUsername != null || curveServerKey != null

    /** Rejects incomplete or contradictory security options (usage errors, naming the option). */
    fun validate(spec: CommandSpec) {
        fun fail(message: String): Nothing = throw ParameterException(spec.commandLine(), message)
        if (plainServer && plainUsers == null) fail("--plain-server needs --plain-users FILE")
        if (plainUsers != null && !plainServer) fail("--plain-users needs --plain-server")
        plainUsers?.let { if (!Files.isReadable(it)) fail("--plain-users: cannot read $it") }
        if ((plainUsername == null) != (plainPassword == null)) fail("--plain-username and --plain-password go together")
        if (curveServer && curveSecretKey == null) fail("--curve-server needs --curve-secret-key")
        if (curveServerKey != null && (curvePublicKey == null || curveSecretKey == null)) {
            fail("--curve-server-key needs --curve-public-key and --curve-secret-key")
        }
        if ((curveAllow.isNotEmpty() || curveAllowAny) && !curveServer) fail("--curve-allow and --curve-allow-any need --curve-server")
        if ((plainServer || plainUsername != null) && (curveServer || curveServerKey != null)) fail("choose PLAIN or CURVE, not both")
        for ((name, key) in listOf("--curve-secret-key" to curveSecretKey, "--curve-public-key" to curvePublicKey, "--curve-server-key" to curveServerKey) +
            curveAllow.map { "--curve-allow" to it }) {
            if (key != null && !isZ85Key(key)) fail("$name must be 40 Z85 characters (a key from zkt keygen)")
        }
    }

    /**
     * Applies the options that belong to [role] to [socket], before it binds or connects; a server socket's
     * authenticator is started in [context].
     */
    fun configure(socket: Socket, role: Role, context: Context) {
        val both = serverGiven && clientGiven
        if (serverGiven && (!both || role == Role.SERVER)) configureServer(socket, context)
        if (clientGiven && (!both || role == Role.CLIENT)) configureClient(socket)
    }

    private fun configureServer(socket: Socket, context: Context) {
        if (plainServer) {
            authenticatorFor(context).plainPasswordFile(checkNotNull(plainUsers))
            socket.plainServer = true
        }
        if (curveServer) {
            if (curveAllowAny || curveAllow.isNotEmpty()) {
                val auth = authenticatorFor(context)
                if (curveAllowAny) auth.curveAllowAny()
                curveAllow.forEach { auth.allowCurveKey(it) }
            }
            socket.curveServer = true
            socket.curveSecretKey = Z85.decode(checkNotNull(curveSecretKey))
        }
    }

    private fun configureClient(socket: Socket) {
        plainUsername?.let {
            socket.plainUsername = it
            socket.plainPassword = checkNotNull(plainPassword)
        }
        curveServerKey?.let {
            socket.curveServerKey = Z85.decode(it)
            socket.curvePublicKey = Z85.decode(checkNotNull(curvePublicKey))
            socket.curveSecretKey = Z85.decode(checkNotNull(curveSecretKey))
        }
    }

    /** The context's authenticator, started on first use (bound before the socket can handshake). */
    private fun authenticatorFor(context: Context): ZapAuthenticator {
        return synchronized(authenticators) {
            authenticators.getOrPut(context) { ZapAuthenticator(context).also { it.startBlocking() } }
        }
    }

    override fun toString(): String = "SecurityOptions(plainServer=$plainServer, curveServer=$curveServer)"

    private companion object {
        fun isZ85Key(text: String): Boolean = text.length == 40 && runCatching { Z85.decode(text) }.isSuccess
    }
}
