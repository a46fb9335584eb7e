package io.zerokt.uring

import io.netty.channel.unix.DomainSocketAddress
import io.netty.channel.unix.Socket
import java.io.IOException
import java.util.concurrent.ThreadLocalRandom

/**
 * Duplicates file descriptors (what `dup(2)` does) through a connected pair of Unix sockets: a descriptor sent with
 * `SCM_RIGHTS` arrives as a new descriptor for the same open socket. Netty exposes `sendFd`/`recvFd` but no `dup`.
 *
 * A [UringStream] writes from the sending thread on its own duplicate, never on the channel's descriptor: Netty closes
 * that one asynchronously on its event loop (IORING_OP_CLOSE), and a write racing that close could land in another
 * file that reused the number. The duplicate's number stays ours until we close it.
 *
 * The pair is made on first use and lives until [close]; [duplicate] is thread-safe.
 */
internal class DescriptorDuplicator {
    private var sender: Socket? = null
    private var receiver: Socket? = null
    private var closed = false

    /** A new descriptor for the open file behind [fd]; the caller closes it. Throws [IOException] when it cannot. */
    @Synchronized
    fun duplicate(fd: Int): Int {
        if (closed) throw IOException("the io_uring transport is closed")
        if (sender == null) open()
        checkNotNull(sender).sendFd(fd)
        val copy = checkNotNull(receiver).recvFd()
        if (copy <= 0) throw IOException("no descriptor came back (recvFd returned $copy)")
        return copy
    }

    /** Connects the pair over a listening socket with a random abstract name, closed once connected. */
    private fun open() {
        val name = "\u0000zerokt-dup-${ProcessHandle.current().pid()}-${ThreadLocalRandom.current().nextLong().toULong()}"
        val listening = Socket.newSocketDomain()
        var client: Socket? = null
        try {
            val address = DomainSocketAddress(name)
            listening.bind(address)
            listening.listen(1)
            client = Socket.newSocketDomain()
            client.connect(address) // a Unix socket's connect completes at once while the backlog has room
            val accepted = listening.accept(ByteArray(ADDRESS_BYTES))
            if (accepted <= 0) throw IOException("the descriptor pair did not connect (accept returned $accepted)")
            sender = client
            receiver = Socket(accepted)
        } catch (e: Throwable) {
            runCatching { client?.close() }
            throw e as? IOException ?: IOException("cannot make a descriptor pair: $e", e)
        } finally {
            runCatching { listening.close() }
        }
    }

    /** Closes the pair. Idempotent. */
    @Synchronized
    fun close() {
        closed = true
        runCatching { sender?.close() }
        runCatching { receiver?.close() }
        sender = null
        receiver = null
    }

    private companion object {
        /** Room for the peer address accept(2) reports (a sockaddr_un). */
        const val ADDRESS_BYTES = 128
    }
}
