package io.zerokt.examples.zkt

import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.util.Comparator

/**
 * A temporary directory for `ipc://` socket files, made on first use under `/tmp` (unix socket paths are limited to
 * 107 bytes, and `java.io.tmpdir` can be long) and deleted with its contents by [close], or at JVM exit if the run is
 * interrupted first.
 */
internal class IpcDirectory : AutoCloseable {
    private var dir: Path? = null
    private var hook: Thread? = null

    /** `ipc://DIR/NAME`, making the directory if needed. */
    fun endpoint(name: String): String = "ipc://" + directory().resolve(name)

    private fun directory(): Path = dir ?: run {
        val root = Path.of("/tmp").takeIf { Files.isDirectory(it) && Files.isWritable(it) }
            ?: Path.of(System.getProperty("java.io.tmpdir"))
        val made = Files.createTempDirectory(root, "zkt-perf-")
        val cleanup = Thread({ deleteRecursively(made) }, "zkt-ipc-cleanup")
        Runtime.getRuntime().addShutdownHook(cleanup)
        dir = made
        hook = cleanup
        made
    }

    /** Deletes the directory, if one was made (idempotent). */
    override fun close() {
        val made = dir ?: return
        dir = null
        hook?.let {
            try {
                Runtime.getRuntime().removeShutdownHook(it)
            } catch (_: IllegalStateException) {
                // Already shutting down: the hook deletes the directory.
            }
        }
        deleteRecursively(made)
    }

    private fun deleteRecursively(path: Path) {
        try {
            if (!Files.exists(path)) return
            Files.walk(path).use { paths -> paths.sorted(Comparator.reverseOrder()).forEach { Files.deleteIfExists(it) } }
        } catch (_: IOException) {
            // Best effort: a leftover empty socket directory in /tmp is harmless.
        }
    }
}
