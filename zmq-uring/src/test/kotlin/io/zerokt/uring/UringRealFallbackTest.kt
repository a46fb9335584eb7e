package io.zerokt.uring

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.testing.Interop
import io.zerokt.testing.runChildJvm
import java.io.File
import java.nio.file.Files

/**
 * Fallback where io_uring really cannot run, not just forced by the engine's test property: a child JVM (running
 * `FallbackProbe`) under a seccomp filter (`no_io_uring.py`) that refuses io_uring's system calls with `EPERM`, as
 * Docker's default profile and `kernel.io_uring_disabled=2` refuse them, or with `ENOSYS`, as a kernel without
 * io_uring does, or refuses only `io_uring_enter`; and one whose classpath lacks Netty's native io_uring jar. Each
 * time its io_uring sockets fall back, each says why once on its monitor, the message arrives, no io_uring thread is
 * left and the context closes. The same probe with nothing taken away runs on io_uring.
 */
class UringRealFallbackTest : FunSpec({
    timeout = 120_000

    val classpath = System.getProperty("java.class.path")

    /** Runs the probe in a child JVM with [classpath], behind [prefix] (a wrapper command); its exit code and output. */
    fun probe(classpath: String, prefix: List<String> = emptyList()): Pair<Int, List<String>> =
        runChildJvm("io.zerokt.uring.FallbackProbe", classpath = classpath, prefix = prefix)

    /** The probe under `no_io_uring.py` with [filterArgs]: it needs python3, as the libzmq interop tests do. */
    fun probeUnderSeccomp(vararg filterArgs: String): Pair<Int, List<String>> {
        Interop.requireLibzmq()
        val script = Files.createTempFile("no_io_uring", ".py").toFile()
        try {
            script.writeBytes(checkNotNull(UringRealFallbackTest::class.java.getResourceAsStream("no_io_uring.py")).readBytes())
            return probe(classpath, listOf(Interop.PYTHON, script.path, *filterArgs))
        } finally {
            script.delete()
        }
    }

    fun checkFellBack(exit: Int, output: List<String>, why: String) {
        withClue(output) {
            exit shouldBe 0
            output shouldContainAll listOf("received: probe", "io_uring threads: 0", "closed")
            val reasons = output.filter { it.startsWith("fallback ") }
            reasons shouldHaveSize 2
            for (line in reasons) line shouldContain why
            output.count { it.contains("falling back to the default engine") } shouldBe 2 // one warning per socket
        }
    }

    test("with io_uring's system calls refused by seccomp, sockets SHALL fall back and say the kernel refused") {
        val (exit, output) = probeUnderSeccomp()
        checkFellBack(exit, output, "io_uring unavailable: java.lang.RuntimeException: failed to create io_uring ring fd: Operation not permitted")
    }

    test("on a kernel without io_uring (its system calls fail with ENOSYS), sockets SHALL fall back and say so") {
        val (exit, output) = probeUnderSeccomp("--errno", "ENOSYS")
        checkFellBack(exit, output, "io_uring unavailable: java.lang.RuntimeException: failed to create io_uring ring fd: Function not implemented")
    }

    test("with only io_uring_enter refused, the engine SHALL fail its start check and sockets fall back, not hang") {
        // Netty's availability check passes there (it creates a ring and registers a probe, but never enters one);
        // before RingCheck, the event loop died on its first wait and the PULL's bind waited forever.
        val (exit, output) = probeUnderSeccomp("--only", "enter")
        checkFellBack(exit, output, "the io_uring engine failed to start: java.io.IOException: the io_uring event loop stopped")
        withClue(output) { output.first { it.startsWith("fallback PULL") } shouldContain "io_uring_enter(..) failed with error(-1): Operation not permitted" }
    }

    test("without Netty's native io_uring jar, sockets SHALL fall back and say the native library is missing") {
        val entries = classpath.split(File.pathSeparator)
        val native = entries.filter { File(it).name.startsWith("netty-transport-native-io_uring") }
        native.shouldNotBeEmpty()
        val (exit, output) = probe((entries - native.toSet()).joinToString(File.pathSeparator))
        checkFellBack(exit, output, "io_uring unavailable: java.lang.UnsatisfiedLinkError: could not load a native library")
    }

    test("the same probe with nothing taken away SHALL run on io_uring (what the tests above take away is what falls back)") {
        val (exit, output) = probe(classpath)
        withClue(output) {
            exit shouldBe 0
            output shouldContainAll listOf("received: probe", "fallback PULL: none", "fallback PUSH: none", "io_uring threads: 1", "closed")
        }
    }
})
