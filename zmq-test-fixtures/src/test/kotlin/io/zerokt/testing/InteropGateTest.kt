package io.zerokt.testing

import io.kotest.assertions.throwables.shouldNotThrowAny
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.config.DefaultTestConfig
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import org.opentest4j.TestAbortedException
import kotlin.time.Duration.Companion.seconds

class InteropGateTest : FunSpec({
    defaultTestConfig = DefaultTestConfig(timeout = 30.seconds)

    class Harness(problem: String?, required: Boolean) {
        var probes = 0
        val warnings = mutableListOf<String>()
        val gate = LibzmqGate(probe = { probes++; problem }, required = { required }, warn = { warnings += it })
    }

    test("libzmq present: run, no noise, probe runs once") {
        val h = Harness(null, required = true)
        h.gate.decide() shouldBe InteropDecision.Run
        shouldNotThrowAny { h.gate.requireLibzmq() }
        h.gate.enabledFor("t").isEnabled shouldBe true
        h.gate.shouldRun() shouldBe true
        h.warnings.shouldBeEmpty()
        h.probes shouldBe 1
    }

    test("libzmq missing, not required: skip (TestAbortedException) with a loud message") {
        val h = Harness("no module named zmq", required = false)
        h.gate.decide().shouldBeInstanceOf<InteropDecision.Skip>()
        val e = shouldThrow<TestAbortedException> { h.gate.requireLibzmq() }
        e.message!! shouldContain "SKIPPED"
        e.message!! shouldContain "no module named zmq"
        h.warnings shouldHaveSize 1
        h.warnings[0] shouldContain "!!!"
        h.warnings[0] shouldContain "interop.required=true"

        val enabled = h.gate.enabledFor("my interop test")
        enabled.isDisabled shouldBe true
        enabled.reason!! shouldContain "python3-zmq"
        h.warnings.last() shouldContain "my interop test"
        h.gate.shouldRun() shouldBe false
        h.probes shouldBe 1
    }

    test("libzmq missing, required: fail (AssertionError) with a loud message, and the test stays enabled") {
        val h = Harness("/usr/bin/python3 not found", required = true)
        h.gate.decide().shouldBeInstanceOf<InteropDecision.Fail>()
        val e = shouldThrow<AssertionError> { h.gate.requireLibzmq() }
        e.message!! shouldContain "REQUIRED"
        e.message!! shouldContain "/usr/bin/python3 not found"
        h.warnings shouldHaveSize 1
        h.gate.enabledFor("t").isEnabled shouldBe true
        h.gate.shouldRun() shouldBe true
    }

    test("the default gate reads the interop.required system property") {
        val old = System.getProperty(Interop.REQUIRED_PROPERTY)
        try {
            System.setProperty(Interop.REQUIRED_PROPERTY, "true")
            LibzmqGate(probe = { "gone" }, warn = {}).decide().shouldBeInstanceOf<InteropDecision.Fail>()
            System.setProperty(Interop.REQUIRED_PROPERTY, "false")
            LibzmqGate(probe = { "gone" }, warn = {}).decide().shouldBeInstanceOf<InteropDecision.Skip>()
            System.clearProperty(Interop.REQUIRED_PROPERTY)
            LibzmqGate(probe = { "gone" }, warn = {}).decide().shouldBeInstanceOf<InteropDecision.Skip>()
        } finally {
            if (old == null) System.clearProperty(Interop.REQUIRED_PROPERTY) else System.setProperty(Interop.REQUIRED_PROPERTY, old)
        }
    }

    test("the real probe agrees with the shared gate").config(enabledOrReasonIf = Interop.libzmqEnabledOrReason) {
        Interop.probePyZmq() shouldBe null
        Interop.libzmq.available shouldBe true
    }
})
