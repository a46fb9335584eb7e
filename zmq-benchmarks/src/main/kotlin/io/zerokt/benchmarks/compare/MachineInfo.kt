package io.zerokt.benchmarks.compare

import java.io.File

/** What the report says about the machine: CPUs, CPU model, kernel, JVM, and the load average. */
object MachineInfo {
    /** The processors this (unpinned) JVM sees. */
    fun processors(): Int = Runtime.getRuntime().availableProcessors()

    /** The CPU model from /proc/cpuinfo, or "unknown". */
    fun cpuModel(): String = read("/proc/cpuinfo")?.lineSequence()
        ?.firstOrNull { it.startsWith("model name") }?.substringAfter(':')?.trim() ?: "unknown"

    /** The kernel release, or "unknown". */
    fun kernel(): String = read("/proc/sys/kernel/osrelease")?.trim() ?: "unknown"

    /** The 1-, 5- and 15-minute load averages, as uptime prints them. */
    fun load(): String = read("/proc/loadavg")?.split(' ')?.take(3)?.joinToString(", ") ?: "unknown"

    /** The JVM that runs the comparison (and, through `java` on the PATH, the JVM peers). */
    fun jvm(): String = "${System.getProperty("java.vm.name")} ${System.getProperty("java.runtime.version")}"

    private fun read(path: String): String? = runCatching { File(path).readText() }.getOrNull()
}
