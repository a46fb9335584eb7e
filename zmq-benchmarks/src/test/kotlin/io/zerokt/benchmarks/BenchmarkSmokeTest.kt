package io.zerokt.benchmarks

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.doubles.shouldBeGreaterThan
import org.openjdk.jmh.results.RunResult
import org.openjdk.jmh.runner.Runner
import org.openjdk.jmh.runner.options.OptionsBuilder
import org.openjdk.jmh.runner.options.TimeValue
import kotlin.time.Duration.Companion.minutes

/**
 * Each JMH benchmark runs for a few operations, in this JVM (no fork), for both implementations: the generated
 * harness, the rigs' setup and teardown, and the message flow work. Not a measurement: the scores are only checked
 * to show that operations completed.
 */
class BenchmarkSmokeTest : FunSpec({
    timeout = 3.minutes.inWholeMilliseconds

    fun runQuick(benchmark: String, vararg params: Pair<String, String>): Collection<RunResult> {
        val options = OptionsBuilder()
            .include("io\\.zerokt\\.benchmarks\\.jmh\\.$benchmark\\.")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .shouldFailOnError(true)
        for ((name, value) in params) options.param(name, value)
        return Runner(options.build()).run()
    }

    fun Collection<RunResult>.implementations(): List<String> = map { it.params.getParam("impl") }

    test("pushPullMovesMessagesForBothImplementationsOverTcp") {
        val results = runQuick("PushPullThroughput", "transport" to "tcp", "size" to "64")
        results.implementations() shouldContainExactlyInAnyOrder listOf("zerokt", "jeromq")
        for (result in results) result.primaryResult.score shouldBeGreaterThan 0.0
    }

    test("roundTripAnswersForBothImplementationsOverInproc") {
        val results = runQuick("RoundTrip", "transport" to "inproc", "pattern" to "dealer-router")
        results.implementations() shouldContainExactlyInAnyOrder listOf("zerokt", "jeromq")
        for (result in results) result.primaryResult.score shouldBeGreaterThan 0.0
    }

    test("fanOutReachesEverySubscriberForBothImplementations") {
        val results = runQuick("PubFanOut", "transport" to "inproc", "subscribers" to "10")
        results.implementations() shouldContainExactlyInAnyOrder listOf("zerokt", "jeromq")
        for (result in results) result.primaryResult.score shouldBeGreaterThan 0.0
    }
})
