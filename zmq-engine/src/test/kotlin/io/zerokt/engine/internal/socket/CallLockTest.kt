package io.zerokt.engine.internal.socket

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlin.time.Duration.Companion.seconds

/** The lock that lets one send (or one receive) at a time into a socket. */
class CallLockTest : FunSpec({
    timeout = 60_000

    test("tryLock takes a free lock only, and unlock frees it") {
        val lock = CallLock()
        lock.tryLock() shouldBe true
        lock.tryLock() shouldBe false
        lock.unlock()
        lock.tryLock() shouldBe true
    }

    test("a waiting lock is woken by the unlock and takes the lock") {
        val lock = CallLock()
        lock.tryLock() shouldBe true
        val waiting = async(start = CoroutineStart.UNDISPATCHED) { lock.lock() }
        yield()
        waiting.isActive shouldBe true
        lock.unlock()
        withTimeout(5.seconds) { waiting.await() }
        lock.tryLock() shouldBe false // the waiter holds it now
        lock.unlock()
        lock.tryLock() shouldBe true
    }

    test("a cancelled waiter leaves the lock usable by the next") {
        val lock = CallLock()
        lock.tryLock() shouldBe true
        val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { lock.lock() }
        val next = async(start = CoroutineStart.UNDISPATCHED) { lock.lock() }
        cancelled.cancel()
        lock.unlock()
        withTimeout(5.seconds) { next.await() }
        lock.unlock()
        lock.tryLock() shouldBe true
    }

    test("callers on several threads never hold it together and none waits forever") {
        val lock = CallLock()
        var inside = 0
        var overlaps = 0
        var count = 0
        withTimeout(30.seconds) {
            withContext(Dispatchers.Default) {
                coroutineScope {
                    repeat(4) { caller ->
                        launch {
                            repeat(50_000) {
                                // Half the callers only try, as trySend does; the others wait, as send does.
                                if (caller % 2 == 0) lock.lock() else while (!lock.tryLock()) yield()
                                if (++inside != 1) overlaps++
                                count++
                                inside--
                                lock.unlock()
                            }
                        }
                    }
                }
            }
        }
        overlaps shouldBe 0
        count shouldBe 200_000
    }
})
