package io.zerokt.examples.zkt

import io.zerokt.Context
import io.zerokt.Socket
import io.zerokt.SocketType
import io.zerokt.proxy
import io.zerokt.proxySteerable
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option

/** `zkt proxy`: libzmq's `zmq_proxy` / `zmq_proxy_steerable` as a command (a broker, forwarder or streamer). */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = [
        "Moves messages between a frontend and a backend socket (zmq_proxy),",
        "optionally copying each one to a capture socket, and, with --control,",
        "obeys PAUSE, RESUME, TERMINATE and STATISTICS (zmq_proxy_steerable).",
    ],
    footer = [
        "",
        "Each side needs a type and at least one endpoint to bind or connect.",
        "Usual pairs: ROUTER/DEALER (a request broker), XSUB/XPUB (a pub/sub",
        "forwarder), PULL/PUSH (a pipeline streamer).",
        "",
        "A SUB frontend subscribes to everything.",
        "--capture binds a PUB socket that gets a copy of every message moved.",
        "--control binds a REP socket for commands; each command gets a reply",
        "(empty, or the eight STATISTICS counters). On TERMINATE the counters",
        "are printed on stderr and zkt exits with status 0.",
        "",
        "Examples:",
        "  zkt proxy --frontend-type router --frontend-bind tcp://*:5559 \\",
        "            --backend-type dealer --backend-bind tcp://*:5560",
        "  zkt proxy --frontend-type xsub --frontend-connect tcp://10.0.0.1:5556 \\",
        "            --backend-type xpub --backend-bind tcp://*:8100 --control ipc:///tmp/ctl",
    ],
)
class ProxyCommand : ZktSubcommand() {
    @Option(names = ["--frontend-type"], required = true, paramLabel = "TYPE", converter = [SocketTypeConverter::class], description = ["Frontend socket type (ROUTER, XSUB, PULL, ...)."])
    lateinit var frontendType: SocketType

    @Option(names = ["--frontend-bind"], paramLabel = "ENDPOINT", description = ["Bind the frontend to ENDPOINT. Repeatable."])
    var frontendBinds: MutableList<String> = ArrayList()

    @Option(names = ["--frontend-connect"], paramLabel = "ENDPOINT", description = ["Connect the frontend to ENDPOINT. Repeatable."])
    var frontendConnects: MutableList<String> = ArrayList()

    @Option(names = ["--backend-type"], required = true, paramLabel = "TYPE", converter = [SocketTypeConverter::class], description = ["Backend socket type (DEALER, XPUB, PUSH, ...)."])
    lateinit var backendType: SocketType

    @Option(names = ["--backend-bind"], paramLabel = "ENDPOINT", description = ["Bind the backend to ENDPOINT. Repeatable."])
    var backendBinds: MutableList<String> = ArrayList()

    @Option(names = ["--backend-connect"], paramLabel = "ENDPOINT", description = ["Connect the backend to ENDPOINT. Repeatable."])
    var backendConnects: MutableList<String> = ArrayList()

    @Option(names = ["--capture"], paramLabel = "ENDPOINT", description = ["Bind a PUB socket here that gets a copy of every message."])
    var capture: String? = null

    @Option(names = ["--control"], paramLabel = "ENDPOINT", description = ["Bind a REP socket here for PAUSE/RESUME/TERMINATE/STATISTICS."])
    var control: String? = null

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        validate()
        common.newContext().use { context ->
            val frontend = open(context, frontendType, frontendBinds, frontendConnects)
            if (frontendType == SocketType.SUB) frontend.subscribe("")
            val backend = open(context, backendType, backendBinds, backendConnects)
            val captureSocket = capture?.let { open(context, SocketType.PUB, listOf(it), emptyList()) }
            val controlSocket = control?.let { open(context, SocketType.REP, listOf(it), emptyList()) }
            if (controlSocket == null) {
                proxy(frontend, backend, captureSocket)
            } else {
                val stats = proxySteerable(frontend, backend, captureSocket, controlSocket)
                io.err.println("zkt: proxy terminated: $stats")
                io.err.flush()
            }
            for (s in listOfNotNull(frontend, backend, captureSocket, controlSocket)) s.close()
        }
        return 0
    }

    private suspend fun open(context: Context, type: SocketType, binds: List<String>, connects: List<String>): Socket {
        val socket = common.newSocket(context, type, if (binds.isNotEmpty()) Role.SERVER else Role.CLIENT)
        socket.linger = 0
        for (endpoint in binds) socket.bindReporting(endpoint, io.err)
        for (endpoint in connects) socket.connectDescribed(endpoint)
        return socket
    }

    private fun validate() {
        common.validate(spec)
        if (frontendBinds.isEmpty() && frontendConnects.isEmpty()) usageError("give the frontend an endpoint with --frontend-bind or --frontend-connect")
        if (backendBinds.isEmpty() && backendConnects.isEmpty()) usageError("give the backend an endpoint with --backend-bind or --backend-connect")
        // Messages flow at least from the frontend to the backend: the frontend must receive, the backend send.
        if (frontendType == SocketType.PUSH || frontendType == SocketType.PUB) {
            usageError("a $frontendType frontend cannot receive; use ROUTER, XSUB, SUB, PULL, DEALER or PAIR")
        }
        if (backendType == SocketType.PULL || backendType == SocketType.SUB) {
            usageError("a $backendType backend cannot send; use DEALER, XPUB, PUB, PUSH, ROUTER or PAIR")
        }
    }
}
