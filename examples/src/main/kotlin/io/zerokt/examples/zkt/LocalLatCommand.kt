package io.zerokt.examples.zkt

import io.zerokt.SocketType
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Parameters

/** `zkt local-lat BIND SIZE ROUNDTRIPS`: libzmq's perf/local_lat with a ZeroKt REP socket. */
@Command(
    name = "local-lat",
    mixinStandardHelpOptions = true,
    description = [
        "Echoes ROUNDTRIPS requests on a REP socket (for remote-lat).",
        "Binds to BIND and sends each request of SIZE bytes back, as libzmq's",
        "perf/local_lat. Prints nothing: remote-lat prints the latency.",
    ],
)
class LocalLatCommand : ZktSubcommand() {
    @Parameters(index = "0", paramLabel = "BIND", description = ["Endpoint to bind, e.g. tcp://*:5555."])
    lateinit var bindTo: String

    @Parameters(index = "1", paramLabel = "SIZE", description = ["Message size in bytes."])
    var size: Int = 0

    @Parameters(index = "2", paramLabel = "ROUNDTRIPS", description = ["Number of round trips."])
    var roundTrips: Int = 0

    @Mixin
    lateinit var common: CommonOptions

    override suspend fun execute(): Int {
        checkSizeAndCount(size, roundTrips, "ROUNDTRIPS")
        common.validate(spec)
        common.newContext().use { context ->
            val rep = common.newSocket(context, SocketType.REP, Role.SERVER)
            rep.linger = -1 // the last reply must reach remote-lat, which is waiting for it
            rep.bindReporting(bindTo, io.err)
            repeat(roundTrips) {
                val request = rep.receive()
                PerfLines.checkSize(request, size)
                rep.send(request)
            }
            rep.close()
        }
        return 0
    }
}
