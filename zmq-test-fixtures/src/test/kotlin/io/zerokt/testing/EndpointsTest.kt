package io.zerokt.testing

import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.config.DefaultTestConfig
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldMatch
import java.io.File
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import kotlin.time.Duration.Companion.seconds

class EndpointsTest : FunSpec({
    defaultTestConfig = DefaultTestConfig(timeout = 20.seconds)

    test("tcpWildcard is the loopback with a wildcard port") {
        Endpoints.tcpWildcard() shouldBe "tcp://127.0.0.1:*"
    }

    test("ipcEndpoint is a fresh /tmp/zkt-XXXX/sock path in an existing, empty directory") {
        val a = Endpoints.ipcEndpoint()
        val b = Endpoints.ipcEndpoint()
        a shouldMatch Regex("ipc:///tmp/zkt-[^/]+/sock")
        a shouldNotBe b
        val dir = File(a.removePrefix("ipc://")).parentFile
        dir.isDirectory shouldBe true
        dir.list()!!.size shouldBe 0
    }

    test("cleanupIpcDirectories deletes the directories and what is in them") {
        val path = Endpoints.ipcPath("x")
        File(path).writeText("left over")
        Endpoints.cleanupIpcDirectories()
        File(path).parentFile.exists() shouldBe false
    }

    test("inprocEndpoint names are unique") {
        val names = (1..1000).map { Endpoints.inprocEndpoint() }
        names.toSet().size shouldBe 1000
        names.first() shouldMatch Regex("inproc://zkt-test-\\d+")
    }

    test("freeTcpPort gives a port that can be bound") {
        val port = Ports.freeTcpPort()
        ServerSocket().use { it.bind(InetSocketAddress(InetAddress.getLoopbackAddress(), port)) }
        Endpoints.tcpWithFreePort() shouldMatch Regex("tcp://127\\.0\\.0\\.1:\\d+")
    }

    test("portOf and hostOf read tcp endpoints") {
        Ports.portOf("tcp://127.0.0.1:5555") shouldBe 5555
        Ports.hostOf("tcp://127.0.0.1:5555") shouldBe "127.0.0.1"
        Ports.hostOf("tcp://[::1]:5555") shouldBe "::1"
    }
})
