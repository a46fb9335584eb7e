package io.zerokt.uring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.netty.channel.uring.IoUringIoHandler
import io.netty.util.concurrent.DefaultThreadFactory
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * [UringEventLoopGroup]: its loops wait without a timer only while nothing is scheduled, and everything that must
 * wake them still does: tasks and scheduled tasks from other threads and from the loop, and a graceful shutdown with
 * a quiet period.
 */
class UringEventLoopGroupTest : FunSpec({
    timeout = 60_000

    fun group() = UringEventLoopGroup(1, DefaultThreadFactory("zkt-test-uring", true), IoUringIoHandler.newFactory())

    fun UringEventLoopGroup.loop() = next() as UringEventLoopGroup.Loop

    fun UringEventLoopGroup.Loop.deadline(): Long = submit<Long> { waitDeadlineNanos() }.get(10, TimeUnit.SECONDS)

    /** Runs [block] with the one loop of a new group, shut down after it. */
    fun withLoop(block: (UringEventLoopGroup.Loop) -> Unit) {
        val group = group()
        try {
            block(group.loop())
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10_000) shouldBe true
        }
    }

    test("an idle loop waits without a deadline; a scheduled task gives it one, and cancelling it takes it away") {
        withLoop { loop ->
            loop.deadline() shouldBe UringEventLoopGroup.NO_DEADLINE
            val task = loop.schedule({}, 1, TimeUnit.HOURS)
            loop.deadline() shouldBeGreaterThan 0L
            task.cancel(false)
            loop.deadline() shouldBe UringEventLoopGroup.NO_DEADLINE
        }
    }

    test("tasks and scheduled tasks from another thread wake an idle loop") {
        withLoop { loop ->
            loop.deadline() shouldBe UringEventLoopGroup.NO_DEADLINE
            Thread.sleep(200) // the loop is waiting now, with no timer
            val ran = CountDownLatch(1)
            loop.execute { ran.countDown() }
            ran.await(5, TimeUnit.SECONDS) shouldBe true
            Thread.sleep(200)
            val started = System.nanoTime()
            val fired = CountDownLatch(1)
            loop.schedule({ fired.countDown() }, 100, TimeUnit.MILLISECONDS)
            fired.await(5, TimeUnit.SECONDS) shouldBe true
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) shouldBeLessThan 2_000L
        }
    }

    test("a task scheduled on the loop itself fires while the loop is otherwise idle") {
        withLoop { loop ->
            val fired = CountDownLatch(1)
            loop.execute { loop.schedule({ fired.countDown() }, 100, TimeUnit.MILLISECONDS) }
            fired.await(5, TimeUnit.SECONDS) shouldBe true
        }
    }

    test("a graceful shutdown with a quiet period ends though the idle loop has no timer") {
        repeat(3) {
            val group = group()
            group.loop().deadline() shouldBe UringEventLoopGroup.NO_DEADLINE
            val started = System.nanoTime()
            group.shutdownGracefully(300, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10_000) shouldBe true
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) shouldBeLessThan 5_000L
        }
    }
})
