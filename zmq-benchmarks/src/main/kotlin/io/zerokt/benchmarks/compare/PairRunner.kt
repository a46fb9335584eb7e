package io.zerokt.benchmarks.compare

import java.io.File
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.nio.file.Files
import java.util.concurrent.TimeUnit

/**
 * Runs one measurement: the receiver (local-thr or local-lat) and the sender (remote-thr or remote-lat) as two child
 * processes, pinned (when [pin]) receiver on CPU 0 and sender on CPU 1, each bounded by [timeoutMillis]: a child
 * still running then is killed (with its children) and the run is reported as hung, naming who hung.
 *
 * The timing side's report is parsed; the other side is then told to finish (its stdin is closed, which ends a
 * `--hold` sender) and given [GRACE_MILLIS] before it too is killed.
 */
class PairRunner(
    private val commands: PeerCommands,
    private val pin: Boolean,
    private val timeoutMillis: Long,
    private val scratch: File,
) {
    /** The figure of one run of [case], or why there is none. */
    fun run(case: CompareCase, counts: Counts): Result<Double> {
        val ipcDir = if (case.transport == "ipc") Files.createTempDirectory(scratch.toPath(), "ipc").toFile() else null
        val endpoint = when (case.transport) {
            "tcp" -> "tcp://127.0.0.1:${freePort()}"
            "ipc" -> "ipc://" + File(ipcDir, "s").absolutePath
            else -> throw IllegalArgumentException("unknown transport ${case.transport}")
        }
        val (receiverRole, senderRole) = when (case.metric) {
            Metric.THROUGHPUT -> Role.LOCAL_THR to Role.REMOTE_THR
            Metric.LATENCY -> Role.LOCAL_LAT to Role.REMOTE_LAT
        }
        val receiver = start("receiver", case.receiver, receiverRole, endpoint, case.size, counts, cpu = 0)
        val sender = try {
            start("sender", case.sender, senderRole, endpoint, case.size, counts, cpu = 1)
        } catch (e: Exception) {
            receiver.kill()
            ipcDir?.deleteRecursively()
            return Result.failure(e)
        }
        try {
            val (timing, partner) = if (receiverRole.timing) receiver to sender else sender to receiver
            val failure = awaitTiming(timing, partner)
            if (failure != null) return Result.failure(CompareFailure(failure))
            val figure = PerfOutput.figure(case.metric, timing.stdout())
                ?: return Result.failure(CompareFailure("${timing.name} printed no figure: ${timing.lastErrorLine()}"))
            partner.finish()
            return Result.success(figure)
        } finally {
            receiver.kill()
            sender.kill()
            receiver.cleanUp()
            sender.cleanUp()
            ipcDir?.deleteRecursively()
        }
    }

    /** Waits for [timing] to exit; null when it exited with status 0, else what went wrong. */
    private fun awaitTiming(timing: Child, partner: Child): String? {
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)
        while (true) {
            if (timing.process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                val status = timing.process.exitValue()
                return if (status == 0) null else "${timing.name} exited with status $status: ${timing.lastErrorLine()}"
            }
            if (!partner.process.isAlive && partner.process.exitValue() != 0) {
                return "${partner.name} exited with status ${partner.process.exitValue()}: ${partner.lastErrorLine()}"
            }
            if (System.nanoTime() > deadline) {
                val hung = listOf(timing, partner).filter { it.process.isAlive }.joinToString(" and ") { it.name }
                return "hung: $hung killed after ${timeoutMillis / 1000} s"
            }
        }
    }

    private fun start(
        side: String,
        contender: Contender,
        role: Role,
        endpoint: String,
        size: Int,
        counts: Counts,
        cpu: Int,
    ): Child {
        val command = commands.command(contender, role, endpoint, size, counts.count, counts.warmup)
        val pinned = if (pin) listOf("taskset", "-c", cpu.toString()) + command else command
        val out = File.createTempFile("out", ".txt", scratch)
        val err = File.createTempFile("err", ".txt", scratch)
        val builder = ProcessBuilder(pinned).redirectOutput(out).redirectError(err)
        builder.environment()["ZKT_NO_BUILD"] = "1"
        builder.environment()["ZKT_JAVA_OPTS"] = commands.zktJavaOptions()
        builder.environment()["JAVA_HOME"] = System.getProperty("java.home") // bin/zkt runs the same JVM as the others
        return Child("$side ${contender.label} ${role.mode}", builder.start(), out, err)
    }

    /** A started child process and the files its output goes to. */
    private class Child(val name: String, val process: Process, private val out: File, private val err: File) {
        fun stdout(): String = out.readText()

        fun lastErrorLine(): String = err.readLines().lastOrNull { it.isNotBlank() }?.trim() ?: "(nothing on stderr)"

        /** Closes stdin (ends a `--hold` sender) and waits a little for a clean exit. */
        fun finish() {
            runCatching { process.outputStream.close() }
            if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) kill()
        }

        fun kill() {
            if (!process.isAlive) return
            process.descendants().forEach { it.destroyForcibly() }
            process.destroyForcibly()
            process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)
        }

        fun cleanUp() {
            out.delete()
            err.delete()
        }
    }

    private companion object {
        const val POLL_MILLIS = 50L
        const val GRACE_MILLIS = 10_000L

        /** A loopback port that was free a moment ago. */
        fun freePort(): Int = ServerSocket().use {
            it.bind(InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            it.localPort
        }
    }
}

/** Why a run has no figure (a hang, a crash, a missing report). */
class CompareFailure(message: String) : Exception(message)
