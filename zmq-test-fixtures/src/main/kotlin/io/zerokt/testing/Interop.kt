package io.zerokt.testing

import io.kotest.core.annotation.Condition
import io.kotest.core.spec.Spec
import io.kotest.core.test.Enabled
import io.kotest.core.test.TestCase
import org.opentest4j.TestAbortedException
import java.io.File
import java.util.concurrent.TimeUnit
import kotlin.reflect.KClass

/** What the interop gate decided for a test that needs a libzmq peer. */
sealed interface InteropDecision {
    /** libzmq is there: run the test. */
    data object Run : InteropDecision

    /** libzmq is missing and not required: skip the test, loudly. */
    data class Skip(val reason: String) : InteropDecision

    /** libzmq is missing and `-Dinterop.required=true`: fail the test, loudly. */
    data class Fail(val reason: String) : InteropDecision
}

/**
 * The gate in front of every test that needs libzmq (through `/usr/bin/python3` + `python3-zmq`).
 *
 * When the probe finds libzmq, tests run. When it does not, the system property `interop.required` decides: "true"
 * (CI) makes the test fail with a loud message; anything else skips it and prints a loud message to stderr.
 * Use the shared instance [Interop.libzmq]; the constructor exists so the gate's own logic can be tested.
 *
 * @param probe returns null when libzmq is usable, else a description of what is missing; called at most once.
 * @param required whether a missing libzmq is a failure (default: the `interop.required` system property is "true").
 * @param warn where the loud skip message goes (default: stderr).
 */
class LibzmqGate(
    private val probe: () -> String?,
    private val required: () -> Boolean = { System.getProperty(Interop.REQUIRED_PROPERTY) == "true" },
    private val warn: (String) -> Unit = { System.err.println(it) },
) {
    private val problem: String? by lazy(probe)

    /** True when libzmq was found. */
    val available: Boolean get() = problem == null

    /** Run, skip or fail, from the probe and [required]. */
    fun decide(): InteropDecision {
        val why = problem ?: return InteropDecision.Run
        return if (required()) {
            InteropDecision.Fail(
                "INTEROP REQUIRED BUT UNAVAILABLE: libzmq through ${Interop.PYTHON} + python3-zmq is missing ($why). " +
                    "-D${Interop.REQUIRED_PROPERTY}=true makes this a failure; install it with " +
                    "`apt-get install -y python3-zmq libzmq3-dev` (.ci/run does).",
            )
        } else {
            InteropDecision.Skip(
                "INTEROP TEST SKIPPED: libzmq through ${Interop.PYTHON} + python3-zmq is missing ($why). " +
                    "Install it with `apt-get install -y python3-zmq libzmq3-dev`; " +
                    "-D${Interop.REQUIRED_PROPERTY}=true turns this skip into a failure.",
            )
        }
    }

    /**
     * For the start of a test body: returns when libzmq is there; otherwise prints the loud message and aborts the
     * test as skipped (opentest4j's [TestAbortedException], which Kotest and JUnit 5 report as skipped), or throws an
     * [AssertionError] when interop is required.
     */
    fun requireLibzmq() {
        when (val d = decide()) {
            InteropDecision.Run -> Unit
            is InteropDecision.Skip -> {
                warn(banner(d.reason))
                throw TestAbortedException(d.reason)
            }
            is InteropDecision.Fail -> {
                warn(banner(d.reason))
                throw AssertionError(d.reason)
            }
        }
    }

    /**
     * Kotest's `enabledOrReasonIf` for a test that needs libzmq: `test("x").config(enabledOrReasonIf = gate.enabledOrReason)`.
     * Disabled (with the loud message) when libzmq is missing and not required. When it is required, the test is left
     * enabled so that it fails in [requireLibzmq] (called by [PyZmqPeer.start]).
     */
    val enabledOrReason: (TestCase) -> Enabled = { test -> enabledFor(test.name.name) }

    /** The decision of [enabledOrReason] for a test called [testName] (printing the loud message when it skips). */
    fun enabledFor(testName: String): Enabled = when (val d = decide()) {
        is InteropDecision.Skip -> {
            warn(banner("${d.reason} [test: $testName]"))
            Enabled.disabled(d.reason)
        }
        else -> Enabled.enabled
    }

    /** Kotest's `enabledIf` form of [enabledOrReason]. */
    val enabledIf: (TestCase) -> Boolean = { enabledOrReason(it).isEnabled }

    /** True unless the test should be skipped (a required but missing libzmq counts as enabled, so it fails). */
    fun shouldRun(): Boolean = when (val d = decide()) {
        is InteropDecision.Skip -> {
            warn(banner(d.reason))
            false
        }
        else -> true
    }

    private fun banner(text: String) = "\n" + "!".repeat(100) + "\n!!! " + text + "\n" + "!".repeat(100)
}

/** The shared interop gates and the facts they rely on. */
object Interop {
    /** The system property that turns a missing interop peer into a failure (CI sets it to "true"). */
    const val REQUIRED_PROPERTY: String = "interop.required"

    /** The Debian python that has `python3-zmq` (not a pyenv `python3` that may come first on PATH). */
    const val PYTHON: String = "/usr/bin/python3"

    /** The gate for libzmq through `/usr/bin/python3 -c "import zmq"`. */
    @JvmStatic
    val libzmq: LibzmqGate = LibzmqGate(::probePyZmq)

    /** True when `interop.required` is "true". */
    @JvmStatic
    val required: Boolean get() = System.getProperty(REQUIRED_PROPERTY) == "true"

    /** [LibzmqGate.requireLibzmq] on the shared gate: call it first in a test that needs libzmq. */
    @JvmStatic
    fun requireLibzmq(): Unit = libzmq.requireLibzmq()

    /** Kotest: `test("x").config(enabledOrReasonIf = Interop.libzmqEnabledOrReason)`. */
    @JvmStatic
    val libzmqEnabledOrReason: (TestCase) -> Enabled get() = libzmq.enabledOrReason

    /** Kotest: `test("x").config(enabledIf = Interop.libzmqEnabledIf)`. */
    @JvmStatic
    val libzmqEnabledIf: (TestCase) -> Boolean get() = libzmq.enabledIf

    /** Runs `/usr/bin/python3 -c "import zmq"` (10 s bound); null when it works, else what went wrong. */
    @JvmStatic
    fun probePyZmq(): String? {
        if (!File(PYTHON).canExecute()) return "$PYTHON not found"
        return try {
            val p = ProcessBuilder(PYTHON, "-c", "import zmq; print(zmq.zmq_version())")
                .redirectErrorStream(true)
                .start()
            p.outputStream.close()
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly()
                return "$PYTHON -c 'import zmq' did not finish in 10 s"
            }
            val out = p.inputStream.readBytes().decodeToString().trim()
            if (p.exitValue() == 0) null else "$PYTHON -c 'import zmq' failed: ${out.lines().lastOrNull() ?: ""}"
        } catch (e: Exception) {
            "$PYTHON could not be run: $e"
        }
    }
}

/**
 * Kotest spec-level gate: `@EnabledIf(LibzmqAvailable::class) class FooTest : FunSpec(...)`. Skips the whole spec,
 * loudly, when libzmq is missing and not required; when required it lets the spec run (and fail in [PyZmqPeer.start]).
 */
class LibzmqAvailable : Condition {
    override fun evaluate(kclass: KClass<out Spec>): Boolean = Interop.libzmq.shouldRun()
}
