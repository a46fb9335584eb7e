package io.zerokt.examples.zkt

import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.trySendBlocking
import java.io.IOException
import java.io.InputStream

/**
 * The lines of [input] (UTF-8, a trailing `\r` removed), read ahead by one daemon thread into a small channel, so
 * that a coroutine can wait for the next line and still be cancelled.
 *
 * Why a thread and not a coroutine: a read from standard input blocks and cannot be interrupted. A command that is
 * done (COUNT reached, a timeout) must be able to exit while the terminal still has nothing to say, so the reader is
 * a daemon thread the command does not wait for. [close] tells it to stop at its next line.
 */
class InputLines(input: InputStream) : AutoCloseable {
    private val lines = Channel<String>(capacity = 64)

    init {
        val thread = Thread({
            try {
                input.bufferedReader(Charsets.UTF_8).use { reader ->
                    while (true) {
                        val line = reader.readLine() ?: break
                        if (lines.trySendBlocking(line.removeSuffix("\r")).isFailure) break
                    }
                }
            } catch (_: IOException) {
                // A failing stdin ends the input like EOF does.
            } finally {
                lines.close()
            }
        }, "zkt-stdin")
        thread.isDaemon = true
        thread.start()
    }

    /** The next line, or null at the end of the input. Suspends until one is read; cancellable. */
    suspend fun next(): String? = lines.receiveCatching().getOrNull()

    /** Stops reading (idempotent). */
    override fun close() {
        lines.cancel()
    }
}
