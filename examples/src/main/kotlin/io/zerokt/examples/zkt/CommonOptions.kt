package io.zerokt.examples.zkt

import io.zerokt.Context
import io.zerokt.Socket
import io.zerokt.SocketType
import picocli.CommandLine.Mixin
import picocli.CommandLine.Model.CommandSpec
import picocli.CommandLine.Option
import picocli.CommandLine.ParameterException
import java.util.ServiceConfigurationError

/**
 * The options every socket-making command shares (a picocli mixin), and the one place that turns them into a
 * [Context] and into settings on each [Socket].
 *
 * This is the seam for engine and security options: a later `--io-uring`, `--plain-username`/`--plain-password`/
 * `--plain-server` or `--curve-server`/`--curve-publickey`/`--curve-secretkey`/`--curve-serverkey` is declared here
 * and applied in [configure], which every command calls on each socket right after making it and before any bind or
 * connect. [Role] tells [configure] which side a socket plays (perf makes both sides in one process).
 */
class CommonOptions {
    @Option(names = ["--io-threads"], paramLabel = "N", description = ["I/O threads of the ZeroKt context (default: 1)."])
    var ioThreads: Int = 1

    /** PLAIN and CURVE options (see [SecurityOptions]). */
    @Mixin
    var security: SecurityOptions = SecurityOptions()

    /** Rejects values no context can take (a usage error). */
    fun validate(spec: CommandSpec) {
        if (ioThreads < 1) throw ParameterException(spec.commandLine(), "--io-threads must be at least 1, was $ioThreads")
        security.validate(spec)
    }

    /** A new context; a missing or broken engine is a [ZktException]. */
    fun newContext(): Context = try {
        Context(ioThreads)
    } catch (e: IllegalStateException) {
        throw ZktException(e.message ?: "no ZeroKt engine on the classpath", cause = e)
    } catch (e: ServiceConfigurationError) {
        throw ZktException("the ZeroKt engine could not be loaded: ${e.message}", cause = e)
    }

    /** A new socket of [type] in [context], already [configure]d for [role]. */
    fun newSocket(context: Context, type: SocketType, role: Role): Socket =
        describing("cannot make a $type socket") { context.socket(type) }.also { configure(it, role, context) }

    /** Applies the shared options to [socket] of [context]: the security options for its [role] ([SecurityOptions]). */
    fun configure(socket: Socket, role: Role, context: Context) {
        security.configure(socket, role, context)
    }
}

/** Which side of a conversation a socket plays, for options that differ by side (CURVE and PLAIN servers). */
enum class Role {
    /** The side that binds (or that a security option names as the server). */
    SERVER,

    /** The side that connects. */
    CLIENT,
}
