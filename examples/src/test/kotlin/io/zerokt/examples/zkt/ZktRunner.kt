package io.zerokt.examples.zkt

import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/** What one in-process `zkt` run printed and returned. */
data class ZktOutcome(val exitCode: Int, val out: String, val err: String) {
    /** The non-empty lines of stderr. */
    val errLines: List<String> get() = err.lines().filter { it.isNotBlank() }
}

/** Runs `zkt ARGS` in this JVM with [stdin] as its standard input. */
fun zkt(vararg args: String, stdin: String = ""): ZktOutcome {
    val out = ByteArrayOutputStream()
    val err = ByteArrayOutputStream()
    val io = ZktIo(stdin.byteInputStream(Charsets.UTF_8), PrintStream(out, true, Charsets.UTF_8), PrintStream(err, true, Charsets.UTF_8))
    val code = runZkt(arrayOf(*args), io)
    return ZktOutcome(code, out.toString(Charsets.UTF_8), err.toString(Charsets.UTF_8))
}

/** Runs `zkt ARGS` on its own daemon thread (several can run at once, as separate processes would). */
fun zktAsync(vararg args: String, stdin: String = ""): CompletableFuture<ZktOutcome> {
    val future = CompletableFuture<ZktOutcome>()
    thread(isDaemon = true, name = "zkt-test-${args.firstOrNull()}") {
        try {
            future.complete(zkt(*args, stdin = stdin))
        } catch (e: Throwable) {
            future.completeExceptionally(e)
        }
    }
    return future
}

/** The outcome of [future], failing the test instead of hanging after [seconds]. */
fun awaitZkt(future: CompletableFuture<ZktOutcome>, seconds: Long = 60): ZktOutcome = future.get(seconds, TimeUnit.SECONDS)
