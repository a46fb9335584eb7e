package io.zerokt.examples.zkt

import io.zerokt.Socket
import picocli.CommandLine.Model.CommandSpec
import picocli.CommandLine.Option
import picocli.CommandLine.ParameterException
import java.io.PrintStream

/** The `-b`/`-c` endpoint options of `cat` and `echo` (a picocli mixin). */
class EndpointOptions {
    @Option(
        names = ["-b", "--bind"],
        paramLabel = "ENDPOINT",
        description = ["Bind to ENDPOINT: tcp://*:5555, tcp://127.0.0.1:* (port printed on stderr), ipc:///tmp/sock, inproc://name. Repeatable."],
    )
    var binds: MutableList<String> = ArrayList()

    @Option(names = ["-c", "--connect"], paramLabel = "ENDPOINT", description = ["Connect to ENDPOINT. Repeatable."])
    var connects: MutableList<String> = ArrayList()

    /** [Role.SERVER] when the socket binds anywhere, else [Role.CLIENT]. */
    val role: Role get() = if (binds.isNotEmpty()) Role.SERVER else Role.CLIENT

    /** At least one endpoint is needed (a usage error otherwise). */
    fun validate(spec: CommandSpec) {
        if (binds.isEmpty() && connects.isEmpty()) {
            throw ParameterException(spec.commandLine(), "give at least one endpoint with -b/--bind or -c/--connect")
        }
    }

    /** Binds [socket] to every `-b` endpoint, then connects it to every `-c` endpoint. */
    suspend fun attach(socket: Socket, err: PrintStream) {
        for (endpoint in binds) socket.bindReporting(endpoint, err)
        for (endpoint in connects) socket.connectDescribed(endpoint)
    }
}

/**
 * Binds to [endpoint]; when its port was a wildcard (`*` or 0), prints `zkt: bound to RESOLVED` on [err] so that the
 * user can learn the port. A failure is a [ZktException] naming the endpoint.
 */
internal suspend fun Socket.bindReporting(endpoint: String, err: PrintStream?) {
    describing("cannot bind to $endpoint") { bind(endpoint) }
    if (err != null && endpoint.hasWildcardPort()) {
        err.println("zkt: bound to ${lastEndpoint ?: endpoint}")
        err.flush()
    }
}

/** Connects to [endpoint]; a failure is a [ZktException] naming the endpoint. */
internal suspend fun Socket.connectDescribed(endpoint: String) {
    describing("cannot connect to $endpoint") { connect(endpoint) }
}

private fun String.hasWildcardPort(): Boolean = startsWith("tcp://") && (endsWith(":*") || endsWith(":0"))
