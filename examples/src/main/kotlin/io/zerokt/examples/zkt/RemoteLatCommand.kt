package io.zerokt.examples.zkt

import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.SocketType
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters

/** `zkt remote-lat CONNECT SIZE ROUNDTRIPS`: libzmq's perf/remote_lat with a ZeroKt REQ socket. */
@Command(
    name = "remote-lat",
    mixinStandardHelpOptions = true,
    description = [
        "Measures request/reply latency with a REQ socket (against local-lat).",
        "Connects to CONNECT, sends ROUNDTRIPS requests of SIZE bytes one at a",
        "time, waiting for each reply, and prints the average one-way latency,",
        "elapsed / (ROUNDTRIPS * 2), as libzmq's perf/remote_lat.",
    ],
    footer = ["", "Output:", "  message size: SIZE [B]", "  roundtrip count: ROUNDTRIPS", "  average latency: N.NNN [us]"],
)
class RemoteLatCommand : ZktSubcommand() {
    @Parameters(index = "0", paramLabel = "CONNECT", description = ["Endpoint to connect to, e.g. tcp://127.0.0.1:5555."])
    lateinit var connectTo: String

    @Parameters(index = "1", paramLabel = "SIZE", description = ["Message size in bytes."])
    var size: Int = 0

    @Parameters(index = "2", paramLabel = "ROUNDTRIPS", description = ["Number of round trips."])
    var roundTrips: Int = 0

    @Option(
        names = ["--warmup"],
        paramLabel = "N",
        description = ["First make N untimed round trips (JIT warm-up); local-lat must then echo N + ROUNDTRIPS."],
    )
    var warmup: Int = 0

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        checkSizeAndCount(size, roundTrips, "ROUNDTRIPS")
        checkWarmup(warmup)
        common.validate(spec)
        common.newContext().use { context ->
            val req = common.newSocket(context, SocketType.REQ, Role.CLIENT)
            req.linger = 0
            req.connectDescribed(connectTo)
            val request = Message.of(Frame.wrap(ByteArray(size)))
            repeat(warmup) {
                req.send(request)
                PerfLines.checkSize(req.receive(), size)
            }
            val start = System.nanoTime()
            repeat(roundTrips) {
                req.send(request)
                PerfLines.checkSize(req.receive(), size)
            }
            val elapsedUs = microsSince(start)
            io.out.print(PerfLines.latency(size, roundTrips, elapsedUs))
            io.out.flush()
            req.close()
        }
        return 0
    }
}
