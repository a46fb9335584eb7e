package io.zerokt.benchmarks.rig

import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger

/** The transports a rig can use, and the endpoint each one binds to. */
enum class Transport(val label: String) {
    INPROC("inproc"),
    IPC("ipc"),
    TCP("tcp"),
    ;

    /**
     * A fresh endpoint to bind: a unique inproc name, an ipc path in a new temp directory (JeroMQ's ipc is tcp
     * underneath and takes the name as given), or `tcp://127.0.0.1:*` (read the bound port from the socket).
     */
    fun bindEndpoint(): String = when (this) {
        INPROC -> "inproc://zkt-bench-${NEXT.incrementAndGet()}"
        IPC -> "ipc://" + Files.createTempDirectory("zkt-bench").resolve("socket")
        TCP -> "tcp://127.0.0.1:*"
    }

    companion object {
        private val NEXT = AtomicInteger()

        /** The transport named [label] (JMH's `transport` parameter). */
        fun of(label: String): Transport =
            entries.firstOrNull { it.label == label } ?: throw IllegalArgumentException("unknown transport '$label'")
    }
}
