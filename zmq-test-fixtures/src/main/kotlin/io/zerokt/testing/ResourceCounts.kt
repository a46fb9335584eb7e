package io.zerokt.testing

import java.io.File
import java.lang.management.ManagementFactory
import java.nio.file.Files
import kotlin.time.Duration

/**
 * A snapshot of this JVM's live threads and open file descriptors, for leak tests: take one before, do the work,
 * close everything, then [awaitResourcesBackTo] the baseline.
 *
 * @property threads live threads (daemon included).
 * @property openFds open file descriptors (entries of `/proc/self/fd`), or -1 where that cannot be read.
 * @property threadNames the names of the live threads, for failure messages.
 */
data class ResourceCounts(val threads: Int, val openFds: Int, val threadNames: List<String>) {
    override fun toString(): String = "ResourceCounts(threads=$threads, openFds=$openFds)"

    companion object {
        /** The counts now. */
        @JvmStatic
        fun current(): ResourceCounts {
            val names = Thread.getAllStackTraces().keys.filter { it.isAlive }.map { it.name }.sorted()
            return ResourceCounts(ManagementFactory.getThreadMXBean().threadCount, openFdCount(), names)
        }

        /** Open file descriptors of this process (the listing's own descriptor included), or -1 when unknown. */
        @JvmStatic
        fun openFdCount(): Int {
            val dir = File("/proc/self/fd")
            if (dir.isDirectory) return dir.list()?.size ?: -1
            val os = ManagementFactory.getOperatingSystemMXBean()
            return (os as? com.sun.management.UnixOperatingSystemMXBean)?.openFileDescriptorCount?.toInt() ?: -1
        }

        /** What each open descriptor points at (`socket:[123]`, `/path`, `anon_inode:[eventpoll]`), for diagnostics. */
        @JvmStatic
        fun openFdTargets(): List<String> {
            val dir = File("/proc/self/fd")
            return (dir.listFiles() ?: return emptyList()).mapNotNull { f ->
                try {
                    "${f.name} -> ${Files.readSymbolicLink(f.toPath())}"
                } catch (_: Exception) {
                    null
                }
            }
        }
    }
}

/**
 * Polls until the thread and fd counts are back to at most [baseline] plus the slack, then returns the counts; fails
 * after [timeout] with the threads that appeared since the baseline and the open descriptors. Threads and fds are
 * released asynchronously, so a leak test must wait, not compare once.
 */
suspend fun awaitResourcesBackTo(
    baseline: ResourceCounts,
    threadSlack: Int = 0,
    fdSlack: Int = 0,
    timeout: Duration = DEFAULT_AWAIT,
): ResourceCounts {
    var last = ResourceCounts.current()
    try {
        return awaitValue(timeout, description = "back to $baseline (+$threadSlack threads, +$fdSlack fds)", supplier = {
            ResourceCounts.current().also { last = it }
        }) { c -> c.threads <= baseline.threads + threadSlack && (baseline.openFds < 0 || c.openFds <= baseline.openFds + fdSlack) }
    } catch (e: AssertionError) {
        val newThreads = last.threadNames.toMutableList().apply { baseline.threadNames.forEach { remove(it) } }
        throw AssertionError(
            "${e.message}\nthreads now ${last.threads} vs ${baseline.threads}; new threads: $newThreads\n" +
                "fds now ${last.openFds} vs ${baseline.openFds}; open: ${ResourceCounts.openFdTargets()}",
        )
    }
}
