package io.zerokt.examples.zkt

import io.zerokt.SocketType
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option

/** `zkt echo`: sends every message it receives back to its sender. */
@Command(
    name = "echo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = [
        "Sends every message it receives back to its sender.",
        "REP replies with it, ROUTER routes it back with the same envelope,",
        "DEALER and PAIR send it back. Runs until COUNT messages are echoed",
        "(forever by default).",
    ],
    footer = ["", "Example:", "  zkt echo -t rep -b tcp://*:5556 &", "  echo hello | zkt cat -t req -c tcp://127.0.0.1:5556"],
)
class EchoCommand : ZktSubcommand() {
    @Option(
        names = ["-t", "--type"],
        required = true,
        paramLabel = "TYPE",
        converter = [SocketTypeConverter::class],
        description = ["Socket type, any case: REP, ROUTER, DEALER or PAIR."],
    )
    lateinit var type: SocketType

    @Mixin
    lateinit var endpoints: EndpointOptions

    @Option(names = ["-n", "--count"], paramLabel = "COUNT", description = ["Stop after COUNT messages echoed."])
    var count: Int? = null

    @Option(names = ["--identity"], paramLabel = "ID", description = ["This socket's routing id (ZMQ_ROUTING_ID), text or 0x-hex."])
    var identity: String? = null

    @Option(names = ["--linger"], paramLabel = "MS", description = ["How long to keep sending the last replies at exit, ms (default: 1000)."])
    var lingerMs: Int = 1000

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        if (type !in ECHO_TYPES) usageError("echo cannot send a message back with a $type socket: use REP, ROUTER, DEALER or PAIR")
        endpoints.validate(spec)
        common.validate(spec)
        count?.let { if (it < 1) usageError("-n/--count must be at least 1, was $it") }
        if (lingerMs < -1) usageError("--linger must be -1 or more, was $lingerMs")
        val routingId = identity?.let { MessageText.parseField(it).toByteArray() }
        if (routingId != null && (routingId.isEmpty() || routingId.size > 255 || routingId[0] == 0.toByte())) {
            usageError("--identity must be 1 to 255 bytes and not start with a zero byte")
        }
        common.newContext().use { context ->
            val socket = common.newSocket(context, type, endpoints.role)
            socket.linger = lingerMs
            routingId?.let { socket.routingId = it }
            endpoints.attach(socket, io.err)
            val limit = count
            var echoed = 0
            while (limit == null || echoed < limit) {
                // A received message already carries its envelope (ROUTER: the routing id first; DEALER: a REQ's
                // empty delimiter), so sending it back unchanged routes it to where it came from.
                socket.send(socket.receive())
                echoed++
            }
            socket.close()
        }
        return 0
    }

    private companion object {
        val ECHO_TYPES = setOf(SocketType.REP, SocketType.ROUTER, SocketType.DEALER, SocketType.PAIR)
    }
}
