package io.zerokt.testing

import io.zerokt.MonitorEvent
import io.zerokt.MonitorEventType
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** The default bound for the waits in this file: 10 s. */
val DEFAULT_AWAIT: Duration = 10.seconds

/**
 * Collects [flow] until an element matches [predicate] and returns it; fails with an [AssertionError] listing what
 * was seen when none matches within [timeout]. Collecting stops at the match (a monitor flow, which may be collected
 * once, is then used up: to wait for several events of one flow, use [recordEvents]).
 */
suspend fun <T> awaitEvent(
    flow: Flow<T>,
    timeout: Duration = DEFAULT_AWAIT,
    description: String = "a matching event",
    predicate: (T) -> Boolean,
): T {
    val seen = ArrayList<T>()
    val found = withTimeoutOrNull(timeout) {
        Box(
            flow.first {
                synchronized(seen) { if (seen.size < MAX_SEEN) seen += it }
                predicate(it)
            },
        )
    }
    return found?.value ?: throw AssertionError("no $description within $timeout; saw ${synchronized(seen) { seen.toList() }}")
}

/** Waits on a monitor flow for the first event of [type] (see [awaitEvent]). */
suspend fun awaitEvent(flow: Flow<MonitorEvent>, type: MonitorEventType, timeout: Duration = DEFAULT_AWAIT): MonitorEvent =
    awaitEvent(flow, timeout, "$type event") { it.type == type }

/**
 * Starts collecting [flow] in this scope at once (undispatched, so nothing emitted after this call is missed) and
 * records every element. Close the recorder (or cancel the scope) to stop collecting.
 */
fun <T> CoroutineScope.recordEvents(flow: Flow<T>): EventRecorder<T> {
    val state = MutableStateFlow<List<T>>(emptyList())
    val job = launch(start = CoroutineStart.UNDISPATCHED) { flow.collect { e -> state.update { it + e } } }
    return EventRecorder(state, job)
}

/**
 * Every element a flow has emitted since [recordEvents], and waits over them. [await] consumes: each call looks only
 * at the elements after the previous match, so successive calls check an order of events.
 */
class EventRecorder<T> internal constructor(private val state: MutableStateFlow<List<T>>, private val job: Job) : AutoCloseable {
    @Volatile
    private var cursor = 0

    /** Everything recorded so far. */
    val events: List<T> get() = state.value

    /**
     * The first element after the previous match that satisfies [predicate], waiting up to [timeout]; fails with an
     * [AssertionError] listing the recorded elements otherwise.
     */
    suspend fun await(timeout: Duration = DEFAULT_AWAIT, description: String = "a matching event", predicate: (T) -> Boolean): T {
        val from = cursor
        val hit = withTimeoutOrNull(timeout) {
            state.first { list -> (from until list.size).any { predicate(list[it]) } }
        }
        if (hit == null) {
            throw AssertionError("no $description within $timeout after event #$from; recorded ${events.drop(from)} (earlier: ${events.take(from)})")
        }
        val index = (from until hit.size).first { predicate(hit[it]) }
        cursor = index + 1
        return hit[index]
    }

    /** Whether any recorded element (of all, consumed or not) satisfies [predicate], without waiting. */
    fun any(predicate: (T) -> Boolean): Boolean = events.any(predicate)

    /** Stops collecting. */
    override fun close() {
        job.cancel()
    }
}

/** Waits on a recorded monitor flow for the next event of [type]. */
suspend fun EventRecorder<MonitorEvent>.await(type: MonitorEventType, timeout: Duration = DEFAULT_AWAIT): MonitorEvent =
    await(timeout, "$type event") { it.type == type }

/**
 * Bounded polling, for what has no event to wait on (thread and fd counts, a peer's counters): reads [supplier] every
 * [interval] until [predicate] holds and returns that value; an [AssertionError] with the last value after [timeout].
 */
suspend fun <T> awaitValue(
    timeout: Duration = DEFAULT_AWAIT,
    interval: Duration = 20.milliseconds,
    description: String = "the expected value",
    supplier: () -> T,
    predicate: (T) -> Boolean,
): T {
    val deadline = System.nanoTime() + timeout.inWholeNanoseconds
    while (true) {
        val v = supplier()
        if (predicate(v)) return v
        if (System.nanoTime() >= deadline) throw AssertionError("not $description within $timeout; last value: $v")
        delay(interval)
    }
}

/** [awaitValue] for a plain condition; [describe] explains the failure. */
suspend fun awaitCondition(
    timeout: Duration = DEFAULT_AWAIT,
    interval: Duration = 20.milliseconds,
    describe: () -> String = { "condition" },
    condition: () -> Boolean,
) {
    val deadline = System.nanoTime() + timeout.inWholeNanoseconds
    while (!condition()) {
        if (System.nanoTime() >= deadline) throw AssertionError("${describe()} did not hold within $timeout")
        delay(interval)
    }
}

/** Blocking form of [awaitCondition] for Java tests and non-suspending code. */
@JvmOverloads
fun awaitConditionBlocking(
    timeoutMs: Long = DEFAULT_AWAIT.inWholeMilliseconds,
    intervalMs: Long = 20,
    describe: () -> String = { "condition" },
    condition: () -> Boolean,
) {
    val deadline = System.nanoTime() + timeoutMs * 1_000_000
    while (!condition()) {
        if (System.nanoTime() >= deadline) throw AssertionError("${describe()} did not hold within $timeoutMs ms")
        Thread.sleep(intervalMs)
    }
}

private const val MAX_SEEN = 200

private class Box<T>(val value: T)
