package io.zerokt.examples.zkt

import kotlinx.coroutines.runBlocking
import picocli.CommandLine.Model.CommandSpec
import picocli.CommandLine.ParameterException
import picocli.CommandLine.Spec
import java.util.concurrent.Callable

/**
 * The base of every `zkt` subcommand: picocli calls [call], which runs [execute] in `runBlocking`, so each command is
 * one structured-concurrency scope that ends when its work (and every coroutine it started) has ended.
 *
 * Throw [usageError] for a bad combination of arguments (exit 2), [ZktException] for a runtime failure (exit 1).
 */
abstract class ZktSubcommand : Callable<Int> {
    @Spec
    lateinit var spec: CommandSpec

    /** The streams of this run (the process's, or a test's). */
    protected val io: ZktIo get() = (spec.root().userObject() as ZktCommand).io

    final override fun call(): Int = runBlocking { execute() }

    /** Does the command's work and returns its exit status. */
    protected abstract suspend fun execute(): Int

    /** Stops with a usage error (exit 2) that says [message]. */
    protected fun usageError(message: String): Nothing = throw ParameterException(spec.commandLine(), message)
}
