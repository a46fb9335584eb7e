package io.zerokt.examples.zkt

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Parameters

/** `zkt remote-thr CONNECT SIZE COUNT`: libzmq's perf/remote_thr with a ZeroKt PUSH socket. */
@Command(
    name = "remote-thr",
    mixinStandardHelpOptions = true,
    description = [
        "Sends COUNT messages of SIZE bytes on a PUSH socket (for local-thr).",
        "Connects to CONNECT, sends, then waits until every message has gone out",
        "(LINGER -1) before it exits, so no tail is lost. As libzmq's",
        "perf/remote_thr, it prints nothing.",
    ],
)
class RemoteThrCommand : ZktSubcommand() {
    @Parameters(index = "0", paramLabel = "CONNECT", description = ["Endpoint to connect to, e.g. tcp://127.0.0.1:5555."])
    lateinit var connectTo: String

    @Parameters(index = "1", paramLabel = "SIZE", description = ["Message size in bytes."])
    var size: Int = 0

    @Parameters(index = "2", paramLabel = "COUNT", description = ["Number of messages."])
    var count: Int = 0

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        checkSizeAndCount(size, count, "COUNT")
        common.validate(spec)
        // Context.close waits for the socket's LINGER: with -1, until every queued message has gone out.
        common.newContext().use { context ->
            val push = common.newSocket(context, SocketType.PUSH, Role.CLIENT)
            push.linger = -1
            push.connectDescribed(connectTo)
            val message = Message.of(Frame.wrap(ByteArray(size)))
            repeat(count) { if (!push.trySend(message)) push.send(message) }
            push.close()
        }
        return 0
    }
}
