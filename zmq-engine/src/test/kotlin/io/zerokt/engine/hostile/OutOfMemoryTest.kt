package io.zerokt.engine.hostile

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import java.io.File
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/**
 * A peer whose frame the heap cannot hold ([OutOfMemoryProbe], in a child JVM with a 64 MiB heap) makes that
 * connection fail with an OutOfMemoryError: that connection drops and nothing else does. The socket's other
 * connection keeps delivering and a new one is served (before, the error cancelled every connection of the bind,
 * and each later one as it started). The child takes the io_uring test properties, so the io_uring runs check it too.
 */
class OutOfMemoryTest : FunSpec({
    timeout = 90_000

    test("a frame too large for the heap SHALL drop that connection only: the others and later ones keep working") {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val forwarded = listOf("zerokt.test.ioUring", "zerokt.test.ioUringMultishot")
            .mapNotNull { name -> System.getProperty(name)?.let { "-D$name=$it" } }
        val command = listOf(java, "-Xmx64m") + forwarded +
            listOf("-cp", System.getProperty("java.class.path"), "io.zerokt.engine.hostile.OutOfMemoryProbeKt")
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = ArrayList<String>()
        val reader = thread { process.inputStream.bufferedReader().forEachLine { synchronized(output) { output.add(it) } } }
        val finished = process.waitFor(60, TimeUnit.SECONDS)
        if (!finished) process.destroyForcibly()
        reader.join(5_000)
        val lines = synchronized(output) { output.toList() }
        println(lines.joinToString("\n") { "probe: $it" })
        finished shouldBe true
        lines shouldContain "SURVIVED"
        process.exitValue() shouldBe 0
    }
})
