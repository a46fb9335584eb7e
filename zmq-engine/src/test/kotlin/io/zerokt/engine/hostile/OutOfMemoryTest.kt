package io.zerokt.engine.hostile

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.zerokt.testing.runChildJvm

/**
 * A peer whose frame the heap cannot hold ([OutOfMemoryProbe], in a child JVM with a 64 MiB heap) makes that
 * connection fail with an OutOfMemoryError: that connection drops and nothing else does. The socket's other
 * connection keeps delivering and a new one is served (before, the error cancelled every connection of the bind,
 * and each later one as it started). The child takes the io_uring test properties, so the io_uring runs check it too.
 */
class OutOfMemoryTest : FunSpec({
    timeout = 90_000

    test("a frame too large for the heap SHALL drop that connection only: the others and later ones keep working") {
        val forwarded = listOf("zerokt.test.ioUring", "zerokt.test.ioUringMultishot")
            .mapNotNull { name -> System.getProperty(name)?.let { "-D$name=$it" } }
        val (exit, lines) = runChildJvm("io.zerokt.engine.hostile.OutOfMemoryProbeKt", jvmArgs = listOf("-Xmx64m") + forwarded)
        println(lines.joinToString("\n") { "probe: $it" })
        lines shouldContain "SURVIVED"
        exit shouldBe 0
    }
})
