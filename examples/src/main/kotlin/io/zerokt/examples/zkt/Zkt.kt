package io.zerokt.examples.zkt

import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.IExecutionExceptionHandler
import picocli.CommandLine.IParameterExceptionHandler
import picocli.CommandLine.IVersionProvider
import picocli.CommandLine.Model.CommandSpec
import picocli.CommandLine.ParameterException
import picocli.CommandLine.Spec
import java.io.InputStream
import java.io.OutputStreamWriter
import java.io.PrintStream
import java.io.PrintWriter
import java.io.Writer
import java.util.Properties
import java.util.concurrent.Callable
import kotlin.system.exitProcess

/** `zkt`'s entry point (main class `io.zerokt.examples.zkt.ZktKt`): runs the command line and exits with its status. */
fun main(args: Array<String>) {
    exitProcess(runZkt(args))
}

/**
 * Runs `zkt` with [args] and returns the exit status instead of exiting: 0 on success, 1 for a runtime failure
 * (an address in use, a count not reached, no engine), 2 for a usage error. Every error is one line on [ZktIo.err]
 * that starts with `zkt: error:`; set the environment variable `ZKT_DEBUG` to also get the stack trace.
 */
fun runZkt(args: Array<String>, io: ZktIo = ZktIo.system()): Int {
    val commandLine = CommandLine(ZktCommand(io))
    commandLine.out = PrintWriter(OutputStreamWriter(io.out, Charsets.UTF_8), true)
    commandLine.err = PrintWriter(OutputStreamWriter(io.err, Charsets.UTF_8), true)
    commandLine.isCaseInsensitiveEnumValuesAllowed = true
    commandLine.parameterExceptionHandler = IParameterExceptionHandler { ex, _ ->
        val name = ex.commandLine?.commandSpec?.qualifiedName() ?: "zkt"
        io.err.println("zkt: error: ${oneLine(ex.message)} (see '$name --help')")
        io.err.flush()
        EXIT_USAGE
    }
    commandLine.executionExceptionHandler = IExecutionExceptionHandler { ex, _, _ ->
        if (!System.getenv("ZKT_DEBUG").isNullOrEmpty()) ex.printStackTrace(io.err)
        io.err.println("zkt: error: ${describeFailure(ex)}")
        io.err.flush()
        (ex as? ZktException)?.exitCode ?: EXIT_FAILURE
    }
    return commandLine.execute(*args)
}

/** Where a `zkt` run reads and writes; tests pass their own streams. */
class ZktIo(val input: InputStream, val out: PrintStream, val err: PrintStream) {
    /** [out] as a UTF-8 writer (for text that is not plain ASCII); flush it after use. */
    fun utf8Out(): Writer = OutputStreamWriter(out, Charsets.UTF_8).buffered()

    companion object {
        /** The process's standard streams. */
        fun system(): ZktIo = ZktIo(System.`in`, System.out, System.err)
    }
}

/** The top-level `zkt` command: only dispatches to a subcommand. */
@Command(
    name = "zkt",
    mixinStandardHelpOptions = true,
    versionProvider = ZktVersion::class,
    description = [
        "ZeroKt's command-line tool: libzmq's perf tools, a self-contained",
        "benchmark, and a netcat for ZeroMQ sockets.",
    ],
    subcommands = [
        LocalThrCommand::class, RemoteThrCommand::class, LocalLatCommand::class, RemoteLatCommand::class,
        PerfCommand::class, CatCommand::class, EchoCommand::class, KeygenCommand::class, CommandLine.HelpCommand::class,
        ProxyCommand::class, ExampleCommand::class,
    ],
    footer = [
        "",
        "Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.",
        "Errors are one line on stderr starting with 'zkt: error:'",
        "(set ZKT_DEBUG=1 for the stack trace).",
    ],
)
class ZktCommand(val io: ZktIo) : Callable<Int> {
    @Spec
    lateinit var spec: CommandSpec

    override fun call(): Int {
        val names = spec.subcommands().keys.filter { it != "help" }.joinToString(", ")
        throw ParameterException(spec.commandLine(), "no command given: use one of $names")
    }
}

/** The version lines of `zkt --version`: this jar's Maven version and the JVM. */
class ZktVersion : IVersionProvider {
    override fun getVersion(): Array<String> {
        val version = ZktVersion::class.java.getResourceAsStream("/META-INF/maven/io.zerokt/examples/pom.properties")
            ?.use { stream -> Properties().apply { load(stream) }.getProperty("version") }
            ?: "development build"
        return arrayOf(
            "zkt $version (ZeroKt, ZMTP 3.1)",
            "JVM: ${System.getProperty("java.vm.name")} ${System.getProperty("java.version")}",
        )
    }
}

private fun oneLine(text: String?): String = (text ?: "invalid arguments").trim().replace(Regex("\\s*\\R\\s*"), "; ")

internal const val EXIT_FAILURE: Int = 1
internal const val EXIT_USAGE: Int = 2
