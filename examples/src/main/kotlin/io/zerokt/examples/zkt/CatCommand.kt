package io.zerokt.examples.zkt

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option

/** `zkt cat`: a netcat for ZeroMQ sockets (stdin lines out as messages, messages in as stdout lines). */
@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = [
        "Sends stdin lines as messages and prints received messages as lines.",
        "A tab splits a line into frames; received frames are joined by a tab.",
    ],
    footer = [
        "",
        "What each type does:",
        "  PUSH, PUB     only send stdin lines; -n stops after COUNT lines sent.",
        "  PULL, SUB     only receive (stdin is not read).",
        "  REQ           for each line: send it, wait for the reply, print it.",
        "  REP           receive a request, print it, reply with the next line.",
        "  DEALER, ROUTER, PAIR, XPUB, XSUB",
        "                send and receive at once. The end of input ends the run",
        "                unless -n or --timeout is given: then receiving goes on",
        "                until one of them ends it.",
        "  ROUTER        the first field of a line is the peer's routing id, as",
        "                printed (usually 0x...).",
        "",
        "Frames as text: a frame prints as text when it is valid UTF-8 without",
        "control characters; otherwise, or when the text itself looks like hex,",
        "as 0x and lowercase hex (0x0080000029). An empty frame prints as nothing.",
        "On input, a field 0xHH... (an even number of hex digits) is sent as those",
        "bytes, any other field as UTF-8 (--literal: always UTF-8). So a printed",
        "line can be sent back as it is.",
        "",
        "Subscriptions: SUB subscribes to each -s PREFIX, or to everything (\"\")",
        "when no -s is given. XSUB sends a subscribe message (0x01 + PREFIX) for",
        "each -s PREFIX and nothing by default (type 0x01 to subscribe to all).",
        "",
        "The run ends at the end of input (queued messages then get up to",
        "--linger ms to go out), after COUNT messages received (-n), or after",
        "--timeout ms without a message. Exit status: 1 when -n COUNT was given",
        "and not reached, else 0.",
        "",
        "Examples:",
        "  zkt cat -t pull -b tcp://*:5555 -n 3",
        "  printf 'a\\nb\\tc\\n' | zkt cat -t push -c tcp://127.0.0.1:5555",
        "  echo hello | zkt cat -t req -c tcp://127.0.0.1:5556",
    ],
)
class CatCommand : ZktSubcommand() {
    @Option(
        names = ["-t", "--type"],
        required = true,
        paramLabel = "TYPE",
        converter = [SocketTypeConverter::class],
        description = ["Socket type, any case: PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB."],
    )
    lateinit var type: SocketType

    @Mixin
    lateinit var endpoints: EndpointOptions

    @Option(names = ["-n", "--count"], paramLabel = "COUNT", description = ["Stop after COUNT messages received (sent, for PUSH/PUB)."])
    var count: Int? = null

    @Option(names = ["-s", "--subscribe"], paramLabel = "PREFIX", description = ["Subscribe to PREFIX (SUB, XSUB). Repeatable."])
    var subscriptions: MutableList<String> = ArrayList()

    @Option(names = ["--identity"], paramLabel = "ID", description = ["This socket's routing id (ZMQ_ROUTING_ID), text or 0x-hex, 1-255 bytes."])
    var identity: String? = null

    @Option(names = ["--timeout"], paramLabel = "MS", description = ["Stop after MS milliseconds without a message (also bounds each send)."])
    var timeoutMs: Long? = null

    @Option(names = ["--linger"], paramLabel = "MS", description = ["How long to keep sending queued messages at exit, ms; -1 = until sent (default: 1000)."])
    var lingerMs: Int = 1000

    @Option(names = ["--literal"], description = ["Send every input field as UTF-8 text, never decoding 0x-hex."])
    var literal: Boolean = false

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        validate()
        val handled = common.newContext().use { context ->
            val socket = common.newSocket(context, type, endpoints.role)
            socket.linger = lingerMs
            identity?.let { socket.routingId = MessageText.parseField(it, literal).toByteArray() }
            if (type == SocketType.SUB) {
                for (prefix in subscriptions.ifEmpty { listOf("") }) socket.subscribe(MessageText.parseField(prefix, literal).toByteArray())
            }
            endpoints.attach(socket, io.err)
            if (type == SocketType.XSUB) {
                for (prefix in subscriptions) socket.send(Message.of(Frame.wrap(byteArrayOf(1) + MessageText.parseField(prefix, literal).toByteArray())))
            }
            val session = CatSession(socket, count, timeoutMs, literal, io)
            try {
                session.run()
            } finally {
                socket.close() // the context's close then waits up to LINGER for what is still queued
            }
        }
        val wanted = count
        if (wanted != null && handled < wanted) {
            val verb = if (CatSession.flowOf(type) == CatSession.Flow.SEND_ONLY) "sent" else "received"
            throw ZktException("$verb $handled of $wanted messages")
        }
        return 0
    }

    private fun validate() {
        endpoints.validate(spec)
        common.validate(spec)
        count?.let { if (it < 1) usageError("-n/--count must be at least 1, was $it") }
        timeoutMs?.let { if (it < 1) usageError("--timeout must be at least 1 ms, was $it") }
        if (lingerMs < -1) usageError("--linger must be -1 or more, was $lingerMs")
        if (subscriptions.isNotEmpty() && type != SocketType.SUB && type != SocketType.XSUB) {
            usageError("-s/--subscribe needs a SUB or XSUB socket, not $type")
        }
        identity?.let {
            val bytes = MessageText.parseField(it, literal).toByteArray()
            if (bytes.isEmpty() || bytes.size > 255) usageError("--identity must be 1 to 255 bytes, was ${bytes.size}")
            if (bytes[0] == 0.toByte()) usageError("--identity must not start with a zero byte (libzmq reserves those)")
        }
    }
}
