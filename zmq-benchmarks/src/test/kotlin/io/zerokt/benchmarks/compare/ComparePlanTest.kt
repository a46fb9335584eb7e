package io.zerokt.benchmarks.compare

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe

/** Which pairs the comparison runs, and the command line each side gets. */
class ComparePlanTest : FunSpec({
    val plan = ComparePlan.standard(1.0)
    val cases = plan.cases()

    test("tcpRunsEverySenderReceiverPairOfTheThreeImplementations") {
        val tcp64 = cases.filter { it.metric == Metric.THROUGHPUT && it.transport == "tcp" && it.size == 64 }
        tcp64.map { it.sender to it.receiver } shouldContainExactlyInAnyOrder
            Contender.IMPLEMENTATIONS.flatMap { s -> Contender.IMPLEMENTATIONS.map { r -> s to r } }
    }

    test("ipcLeavesOutJeroMqWithAnyOtherImplementation") {
        val ipc = cases.filter { it.metric == Metric.LATENCY && it.transport == "ipc" }.map { it.sender to it.receiver }
        ipc shouldContainExactlyInAnyOrder listOf(
            Contender.ZEROKT to Contender.ZEROKT,
            Contender.ZEROKT to Contender.LIBZMQ,
            Contender.LIBZMQ to Contender.ZEROKT,
            Contender.LIBZMQ to Contender.LIBZMQ,
            Contender.JEROMQ to Contender.JEROMQ,
        )
    }

    test("theLargeMessageReferenceIsEachContenderWithItselfOverTcp") {
        val reference = cases.filter { it.size == 65536 }
        reference.map { it.sender } shouldContainExactly listOf(Contender.ZEROKT, Contender.JEROMQ, Contender.LIBZMQ, Contender.NIO)
        reference.all { it.sender == it.receiver && it.transport == "tcp" } shouldBe true
        cases.filter { it.size != 65536 }.map { it.sender } shouldNotContain Contender.NIO
    }

    test("onlyTheTimingSideGetsTheWarmUpAndItsPartnerSendsItOnTop") {
        val commands = PeerCommands("/zkt", "/zmq_perf", "cp.jar", listOf("-Xmx64m"), "java")
        commands.command(Contender.ZEROKT, Role.LOCAL_THR, "tcp://127.0.0.1:1", 64, 1000, 50) shouldContainExactly
            listOf("/zkt", "local-thr", "--warmup", "50", "tcp://127.0.0.1:1", "64", "1000")
        commands.command(Contender.LIBZMQ, Role.REMOTE_THR, "tcp://127.0.0.1:1", 64, 1000, 50) shouldContainExactly
            listOf("/zmq_perf", "remote_thr", "--hold", "tcp://127.0.0.1:1", "64", "1050")
        commands.command(Contender.JEROMQ, Role.LOCAL_LAT, "ipc:///x", 64, 10, 5) shouldContainExactly
            listOf("java", "-Xmx64m", "-cp", "cp.jar", "io.zerokt.benchmarks.peers.JeroMqPerf", "local-lat", "ipc:///x", "64", "15")
        commands.command(Contender.ZEROKT, Role.REMOTE_THR, "tcp://127.0.0.1:1", 64, 1000, 50) shouldContainExactly
            listOf("/zkt", "remote-thr", "tcp://127.0.0.1:1", "64", "1050")
    }
})
