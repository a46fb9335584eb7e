package io.zerokt.testing

import java.io.File
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * Runs [mainClass] in a child JVM (this JVM's `java`, on [classpath], with [jvmArgs]), behind [prefix] (a wrapper
 * command, e.g. one that installs a seccomp filter first); returns its exit code and its output, stdout and stderr
 * together. Throws when it does not finish within [timeoutSeconds] (the child is killed). For what needs a process of
 * its own: a small heap, a filter, a classpath without some jar.
 */
fun runChildJvm(
    mainClass: String,
    jvmArgs: List<String> = emptyList(),
    classpath: String = System.getProperty("java.class.path"),
    prefix: List<String> = emptyList(),
    timeoutSeconds: Long = 60,
): Pair<Int, List<String>> {
    val java = File(System.getProperty("java.home"), "bin/java").path
    val command = prefix + java + jvmArgs + listOf("-cp", classpath, mainClass)
    val process = ProcessBuilder(command).redirectErrorStream(true).start()
    process.outputStream.close()
    val output = CompletableFuture.supplyAsync { process.inputStream.bufferedReader().readLines() }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly()
        error("$mainClass did not finish within $timeoutSeconds s")
    }
    return process.exitValue() to output.get(10, TimeUnit.SECONDS)
}
