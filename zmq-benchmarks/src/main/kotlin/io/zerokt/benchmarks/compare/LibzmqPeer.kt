package io.zerokt.benchmarks.compare

import java.io.File
import java.util.concurrent.TimeUnit

/**
 * The libzmq perf peer: `zmq_perf.c` (a resource of this jar) compiled with gcc against the system's libzmq
 * (Debian's `libzmq3-dev`) into a directory of the caller's choice.
 */
object LibzmqPeer {
    private const val SOURCE = "/io/zerokt/benchmarks/peers/zmq_perf.c"

    /** Compiles the peer into [directory] and returns the program, or fails saying what is missing. */
    fun build(directory: File): Result<File> {
        directory.mkdirs()
        val source = File(directory, "zmq_perf.c")
        val program = File(directory, "zmq_perf")
        val text = LibzmqPeer::class.java.getResourceAsStream(SOURCE)?.use { it.readBytes() }
            ?: return Result.failure(CompareFailure("$SOURCE is missing from the classpath"))
        source.writeBytes(text)
        val log = File(directory, "zmq_perf.build.log")
        val process = try {
            ProcessBuilder("gcc", "-O2", "-o", program.path, source.path, "-lzmq")
                .redirectErrorStream(true).redirectOutput(log).start()
        } catch (e: java.io.IOException) {
            return Result.failure(CompareFailure("gcc is not available (${e.message}); apt-get install gcc libzmq3-dev"))
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            return Result.failure(CompareFailure("gcc did not finish within 60 s"))
        }
        if (process.exitValue() != 0) {
            val why = log.readLines().firstOrNull { "error" in it } ?: "status ${process.exitValue()}"
            return Result.failure(CompareFailure("gcc could not build the libzmq peer ($why); apt-get install libzmq3-dev"))
        }
        return Result.success(program)
    }
}
