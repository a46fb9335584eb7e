package io.zerokt.examples.zkt

import io.zerokt.SocketType
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters

/** `zkt local-thr BIND SIZE COUNT`: libzmq's perf/local_thr with a ZeroKt PULL socket. */
@Command(
    name = "local-thr",
    mixinStandardHelpOptions = true,
    description = [
        "Receives COUNT messages on a PULL socket and prints the throughput.",
        "Binds to BIND, expects messages of SIZE bytes, and times from the first",
        "message to the last, as libzmq's perf/local_thr. Pair it with remote-thr.",
    ],
    footer = ["", "Output:", "  message size: SIZE [B]", "  message count: COUNT", "  mean throughput: N [msg/s]", "  mean throughput: N.NNN [Mb/s]"],
)
class LocalThrCommand : ZktSubcommand() {
    @Parameters(index = "0", paramLabel = "BIND", description = ["Endpoint to bind, e.g. tcp://*:5555."])
    lateinit var bindTo: String

    @Parameters(index = "1", paramLabel = "SIZE", description = ["Message size in bytes."])
    var size: Int = 0

    @Parameters(index = "2", paramLabel = "COUNT", description = ["Number of messages."])
    var count: Int = 0

    @Option(
        names = ["--warmup"],
        paramLabel = "N",
        description = ["First receive N messages untimed (JIT warm-up); remote-thr must then send N + COUNT."],
    )
    var warmup: Int = 0

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        checkSizeAndCount(size, count, "COUNT")
        checkWarmup(warmup)
        common.validate(spec)
        common.newContext().use { context ->
            val pull = common.newSocket(context, SocketType.PULL, Role.SERVER)
            pull.bindReporting(bindTo, io.err)
            repeat(warmup) { PerfLines.checkSize(pull.tryReceive() ?: pull.receive(), size) }
            PerfLines.checkSize(pull.receive(), size)
            val start = System.nanoTime()
            repeat(count - 1) { PerfLines.checkSize(pull.tryReceive() ?: pull.receive(), size) }
            val elapsedUs = microsSince(start)
            io.out.print(PerfLines.throughput(size, count, elapsedUs))
            io.out.flush()
            pull.close()
        }
        return 0
    }
}

/** The shared argument checks of the four libzmq-style tools. */
internal fun ZktSubcommand.checkSizeAndCount(size: Int, count: Int, countName: String) {
    if (size < 0) throw picocli.CommandLine.ParameterException(spec.commandLine(), "SIZE must be 0 or more, was $size")
    if (count < 1) throw picocli.CommandLine.ParameterException(spec.commandLine(), "$countName must be at least 1, was $count")
}

/** `--warmup` takes 0 or more. */
internal fun ZktSubcommand.checkWarmup(warmup: Int) {
    if (warmup < 0) throw picocli.CommandLine.ParameterException(spec.commandLine(), "--warmup must be 0 or more, was $warmup")
}
