package io.zerokt.examples.zkt

import io.zerokt.Context
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.ZKT_CTX_IO_URING_DEFER_TASKRUN
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

    @Option(
        names = ["--io-uring"],
        description = [
            "Run tcp/ipc sockets on the io_uring engine (Linux; falls back to the default engine, with a",
            "warning, where io_uring cannot run). perf: also measure ZeroKt on io_uring ('zerokt io_uring' rows).",
        ],
    )
    var ioUring: Boolean = false

    @Option(names = ["--io-uring-cork"], description = ["With --io-uring: cork tcp sockets while writes are in flight (TCP_CORK)."])
    var ioUringCork: Boolean = false

    @Option(names = ["--io-uring-zc-threshold"], paramLabel = "BYTES", description = ["With --io-uring: zero-copy send (SEND_ZC) for writes of at least BYTES (default: never)."])
    var ioUringZcThreshold: Int = -1

    @Option(names = ["--io-uring-no-defer-taskrun"], description = ["With --io-uring: rings without deferred task running (ZKT_CTX_IO_URING_DEFER_TASKRUN 0): lower latency when I/O and application threads share CPUs, less throughput."])
    var ioUringNoDeferTaskrun: Boolean = false

    @Option(names = ["--io-uring-multishot"], description = ["With --io-uring: multishot receives into the I/O thread's receive buffer group."])
    var ioUringMultishot: Boolean = false

    /** PLAIN and CURVE options (see [SecurityOptions]). */
    @Mixin
    var security: SecurityOptions = SecurityOptions()

    /** Rejects values no context can take (a usage error). */
    fun validate(spec: CommandSpec) {
        if (ioThreads < 1) throw ParameterException(spec.commandLine(), "--io-threads must be at least 1, was $ioThreads")
        if (ioUringZcThreshold < -1) throw ParameterException(spec.commandLine(), "--io-uring-zc-threshold must be -1 or more, was $ioUringZcThreshold")
        security.validate(spec)
    }

    /** A new context; a missing or broken engine is a [ZktException]. */
    fun newContext(): Context = try {
        Context(ioThreads).also { if (ioUringNoDeferTaskrun) it.setOption(ZKT_CTX_IO_URING_DEFER_TASKRUN, 0) }
    } catch (e: IllegalStateException) {
        throw ZktException(e.message ?: "no ZeroKt engine on the classpath", cause = e)
    } catch (e: ServiceConfigurationError) {
        throw ZktException("the ZeroKt engine could not be loaded: ${e.message}", cause = e)
    }

    /** A new socket of [type] in [context], already [configure]d for [role]. */
    fun newSocket(context: Context, type: SocketType, role: Role): Socket =
        describing("cannot make a $type socket") { context.socket(type) }.also { configure(it, role, context) }

    /**
     * Applies the shared options to [socket] of [context] before bind/connect: the io_uring engine and its tuning, and
     * the security options for its [role] ([SecurityOptions]).
     */
    fun configure(socket: Socket, role: Role, context: Context) {
        if (ioUring) socket.ioUring = true
        if (ioUringCork) socket.ioUringTcpCork = true
        if (ioUringZcThreshold >= 0) socket.ioUringSendZeroCopyThreshold = ioUringZcThreshold
        if (ioUringMultishot) socket.ioUringMultishot = true
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
