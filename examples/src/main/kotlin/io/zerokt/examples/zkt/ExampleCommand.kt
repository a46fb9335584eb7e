package io.zerokt.examples.zkt

import picocli.CommandLine.Command
import picocli.CommandLine.Parameters
import java.lang.reflect.InvocationTargetException

/** `zkt example NAME`: runs one of the Java examples (`io.zerokt.examples.java.*`) in this process. */
@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description = [
        "Runs one of the Java API examples (sources in examples/src/main/java).",
        "Each is also runnable as java -cp ... io.zerokt.examples.java.CLASS.",
    ],
    footer = [
        "",
        "Examples: hello-world (REQ/REP), pub-sub-topics, pipeline (PUSH/PULL),",
        "broker (ROUTER/DEALER through the proxy), poller-loop, async-client",
        "(CompletableFuture).",
    ],
)
class ExampleCommand : ZktSubcommand() {
    @Parameters(index = "0", paramLabel = "NAME", description = ["hello-world, pub-sub-topics, pipeline, broker, poller-loop or async-client."])
    lateinit var name: String

    override suspend fun execute(): Int {
        val className = EXAMPLES[name.lowercase()] ?: usageError("unknown example '$name' (expected one of ${EXAMPLES.keys.joinToString(", ")})")
        val main = Class.forName("io.zerokt.examples.java.$className").getMethod("main", Array<String>::class.java)
        try {
            main.invoke(null, arrayOf<String>())
        } catch (e: InvocationTargetException) {
            throw e.cause ?: e
        }
        return 0
    }

    private companion object {
        val EXAMPLES = linkedMapOf(
            "hello-world" to "HelloWorld",
            "pub-sub-topics" to "PubSubTopics",
            "pipeline" to "Pipeline",
            "broker" to "Broker",
            "poller-loop" to "PollerLoop",
            "async-client" to "AsyncClient",
        )
    }
}
