package io.zerokt.examples.zkt

import io.zerokt.Message
import io.zerokt.Socket
import io.zerokt.SocketType
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull

/**
 * One `zkt cat` run over a bound/connected [socket]: moves stdin lines out and received messages to stdout, in the
 * [Flow] its type calls for, until the input ends, [count] messages are handled, or [timeoutMs] passes without one.
 */
internal class CatSession(
    private val socket: Socket,
    private val count: Int?,
    private val timeoutMs: Long?,
    private val literal: Boolean,
    private val io: ZktIo,
) {
    /** How a socket type moves messages in `cat`. */
    enum class Flow { SEND_ONLY, RECEIVE_ONLY, REQUEST, REPLY, DUPLEX }

    private val out = io.utf8Out()
    private var input: InputLines? = null

    /** Messages received so far (sent, for [Flow.SEND_ONLY]). */
    private var handled = 0

    /** Runs the session and returns how many messages it handled (what `-n` counts). */
    suspend fun run(): Int {
        try {
            when (flowOf(socket.type)) {
                Flow.SEND_ONLY -> sendLines(counted = true)
                Flow.RECEIVE_ONLY -> receiveAndPrint()
                Flow.REQUEST -> requestReply()
                Flow.REPLY -> replyToRequests()
                Flow.DUPLEX -> duplex()
            }
        } finally {
            input?.close()
            out.flush()
        }
        return handled
    }

    private fun done(): Boolean = count != null && handled >= count

    private fun lines(): InputLines = input ?: InputLines(io.input).also { input = it }

    private suspend fun sendLines(counted: Boolean) {
        val lines = lines()
        while (!(counted && done())) {
            val line = lines.next() ?: return
            send(MessageText.parseLine(line, literal))
            if (counted) handled++
        }
    }

    private suspend fun receiveAndPrint() {
        while (!done()) print(receive() ?: return)
    }

    private suspend fun requestReply() {
        val lines = lines()
        while (!done()) {
            val line = lines.next() ?: return
            send(MessageText.parseLine(line, literal))
            print(receive() ?: return)
        }
    }

    private suspend fun replyToRequests() {
        val lines = lines()
        while (!done()) {
            val request = receive() ?: return
            print(request)
            val line = lines.next() ?: return
            send(MessageText.parseLine(line, literal))
        }
    }

    /** Sends and receives at once; see [CatCommand]'s help for when it ends. */
    private suspend fun duplex() = coroutineScope {
        val receiver = launch { receiveAndPrint() }
        val sender = launch {
            sendLines(counted = false)
            if (count == null && timeoutMs == null) receiver.cancel()
        }
        receiver.join()
        sender.cancel()
    }

    /** The next message, or null when [timeoutMs] passed without one. */
    private suspend fun receive(): Message? =
        if (timeoutMs == null) socket.receive() else withTimeoutOrNull(timeoutMs) { socket.receive() }

    private suspend fun send(message: Message) {
        if (timeoutMs == null) {
            socket.send(message)
        } else {
            withTimeoutOrNull(timeoutMs) { socket.send(message) }
                ?: throw ZktException("could not send for $timeoutMs ms (no peer ready to take the message)")
        }
    }

    private fun print(message: Message) {
        handled++
        out.write(MessageText.format(message))
        out.write("\n")
        out.flush()
    }

    companion object {
        /** The [Flow] of [type]. */
        fun flowOf(type: SocketType): Flow = when (type) {
            SocketType.PUSH, SocketType.PUB -> Flow.SEND_ONLY
            SocketType.PULL, SocketType.SUB -> Flow.RECEIVE_ONLY
            SocketType.REQ -> Flow.REQUEST
            SocketType.REP -> Flow.REPLY
            else -> Flow.DUPLEX
        }
    }
}
