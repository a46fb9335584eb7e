package io.zerokt.testing

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.config.DefaultTestConfig
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.consumeAsFlow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.launch
import java.io.FileInputStream
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class AwaitTest : FunSpec({
    defaultTestConfig = DefaultTestConfig(timeout = 30.seconds)

    fun ev(type: MonitorEventType) = MonitorEvent(type, "tcp://127.0.0.1:1")

    test("awaitEvent returns the first match, and fails listing what it saw") {
        val flow = flowOf(ev(MonitorEventType.CONNECT_DELAYED), ev(MonitorEventType.CONNECTED), ev(MonitorEventType.HANDSHAKE_SUCCEEDED))
        awaitEvent(flow, MonitorEventType.CONNECTED).type shouldBe MonitorEventType.CONNECTED
        val channel = Channel<MonitorEvent>(Channel.UNLIMITED)
        channel.trySend(ev(MonitorEventType.LISTENING))
        val e = shouldThrow<AssertionError> { awaitEvent(channel.consumeAsFlow(), MonitorEventType.ACCEPTED, 100.milliseconds) }
        e.message!! shouldContain "ACCEPTED"
        e.message!! shouldContain "LISTENING"
    }

    test("recordEvents keeps everything and await consumes in order") {
        coroutineScope {
            val source = MutableSharedFlow<Int>(extraBufferCapacity = 100)
            val rec = recordEvents(source)
            launch { for (i in 1..5) source.emit(i) }
            rec.await { it == 2 } shouldBe 2
            rec.await { it % 2 == 0 } shouldBe 4
            shouldThrow<AssertionError> { rec.await(100.milliseconds) { it == 1 } }.message!! shouldContain "after event #4"
            rec.events shouldBe listOf(1, 2, 3, 4, 5)
            rec.close()
        }
    }

    test("awaitValue polls until the predicate holds, and is bounded") {
        val n = AtomicInteger()
        val t = Thread { repeat(5) { n.incrementAndGet(); Thread.sleep(5) } }
        t.start()
        awaitValue(supplier = { n.get() }) { it == 5 } shouldBe 5
        t.join()
        shouldThrow<AssertionError> { awaitValue(100.milliseconds, supplier = { n.get() }) { it == 6 } }.message!! shouldContain "last value: 5"
        shouldThrow<AssertionError> { awaitConditionBlocking(50, describe = { "never" }) { false } }.message!! shouldContain "never"
    }

    test("ResourceCounts sees a new thread and an open file, and awaitResourcesBackTo sees them go") {
        val baseline = ResourceCounts.current()
        baseline.openFds shouldBeGreaterThan 0
        val release = CountDownLatch(1)
        val t = Thread({ release.await() }, "zkt-leak-probe")
        t.start()
        val file = FileInputStream("/proc/self/status")
        val during = ResourceCounts.current()
        during.threads shouldBeGreaterThan baseline.threads
        during.openFds shouldBeGreaterThan baseline.openFds
        shouldThrow<AssertionError> { awaitResourcesBackTo(baseline, timeout = 100.milliseconds) }.message!! shouldContain "zkt-leak-probe"
        release.countDown()
        file.close()
        awaitResourcesBackTo(baseline)
    }
})
