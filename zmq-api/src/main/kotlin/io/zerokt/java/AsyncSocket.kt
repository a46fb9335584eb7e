package io.zerokt.java

import io.zerokt.Context
import io.zerokt.Frame
import io.zerokt.Message
import io.zerokt.MonitorEvent
import io.zerokt.Socket
import io.zerokt.SocketType
import kotlinx.coroutines.Job
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.Flow
import java.util.concurrent.ForkJoinPool
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.startCoroutine

/**
 * A ZeroMQ socket for Java code whose [send] and [recv] return `CompletableFuture`s, over the same engine as the
 * Kotlin [Socket] (it wraps one). Nothing here blocks except [bind]/[connect]/[unbind]/[disconnect], which
 * return once done (they do not wait for a peer).
 *
 * ```java
 * try (Context ctx = ZeroKt.context(); AsyncSocket req = new AsyncSocket(ctx, SocketType.REQ)) {
 *     req.connect("tcp://127.0.0.1:5555");
 *     req.send("Hello").thenCompose(sent -> req.recv()).thenAccept(reply -> ...).join();
 * }
 * ```
 *
 * ## Completion
 * A future completes at once when the socket can act at once; otherwise it completes on [executor] (the common
 * `ForkJoinPool` by default), never on a ZeroKt I/O thread, so dependent stages may block. SNDTIMEO/RCVTIMEO
 * apply: the future then fails with [io.zerokt.ZmqException] `EAGAIN`. Closing the socket or context fails
 * pending futures with `ENOTSOCK`/`ETERM`.
 *
 * ## Cancellation
 * Cancelling a pending [recv] future takes no message: the message that would have gone to it goes to the next
 * receive of this `AsyncSocket` instead, in order. The same holds when the future is completed from outside
 * (`orTimeout`, `complete`). Once a message is assigned to a future, `cancel` returns false and the future
 * completes with it. Cancelling a pending [send] future withdraws the message unless it was queued at that same
 * instant (then `cancel` still reports true; the message goes out once).
 *
 * ## Threads
 * Any thread may call any method. Several pending receives get messages in the order they were asked for (their
 * futures may complete on the executor in any order).
 */
public class AsyncSocket @JvmOverloads constructor(
    /** The wrapped socket (a Kotlin API). */
    internal val socket: Socket,
    private val executor: Executor = ForkJoinPool.commonPool(),
) : AutoCloseable {
    /** Creates a socket of [type] in [context]. */
    public constructor(context: Context, type: SocketType) : this(context.socket(type))

    /** Pending receives, served oldest first. */
    private val receives = AsyncReceives(socket, executor)

    /** This socket's type. */
    public val type: SocketType get() = socket.type

    /** The endpoint last bound, with wildcards resolved, or null. */
    public val lastEndpoint: String? get() = socket.lastEndpoint

    /** Binds to [endpoint] (`zmq_bind`); returns once listening. */
    public fun bind(endpoint: String) {
        blockingCall("bind") { socket.bind(endpoint) }
    }

    /** Connects to [endpoint] (`zmq_connect`); the connection is made in the background. */
    public fun connect(endpoint: String) {
        blockingCall("connect") { socket.connect(endpoint) }
    }

    /** Stops listening on [endpoint]. */
    public fun unbind(endpoint: String) {
        blockingCall("unbind") { socket.unbind(endpoint) }
    }

    /** Stops connecting to [endpoint]. */
    public fun disconnect(endpoint: String) {
        blockingCall("disconnect") { socket.disconnect(endpoint) }
    }

    /** Sends a single-frame message of [data]; the future completes once it is queued. */
    public fun send(data: ByteArray): CompletableFuture<Void?> = send(Message.of(Frame.of(data)))

    /** Sends a single-frame message of [text] (UTF-8). */
    public fun send(text: String): CompletableFuture<Void?> = send(Message.of(Frame.of(text)))

    /** Sends the multipart [message]; the future completes once it is queued. */
    public fun send(message: Message): CompletableFuture<Void?> {
        try {
            if (socket.trySend(message)) return CompletableFuture.completedFuture(null)
        } catch (e: Exception) {
            return CompletableFuture.failedFuture(e)
        }
        val future = CompletableFuture<Void?>()
        val call = FutureCall<Unit>(executor) { result ->
            result.fold({ future.complete(null) }, { future.completeExceptionally(it) })
        }
        future.whenComplete { _, _ -> if (future.isCancelled) call.job.cancel() }
        val block: suspend () -> Unit = { socket.send(message) }
        block.startCoroutine(call)
        return future
    }

    /** Receives the next whole message. */
    public fun recv(): CompletableFuture<Message> = receives.recv()

    /** Receives the next message's first frame as UTF-8. */
    public fun recvStr(): CompletableFuture<String> = recv().thenApply { it.decodeToString() }

    /** Sets integer option [option] by libzmq id. */
    public fun setOption(option: Int, value: Int): Unit = socket.setOption(option, value)

    /** Sets a binary option by libzmq id. */
    public fun setOption(option: Int, value: ByteArray): Unit = socket.setOption(option, value)

    /** Reads an option by libzmq id. */
    public fun getOption(option: Int): Any? = socket.getOption(option)

    /** Subscribes to [topic] (SUB). */
    public fun subscribe(topic: String): Unit = socket.subscribe(topic)

    /** This socket's monitor events as a `Flow.Publisher` ([MonitorPublisher]). */
    public fun monitor(): Flow.Publisher<MonitorEvent> = MonitorPublisher(socket)

    /** Closes the socket; pending futures fail with `ENOTSOCK`. Idempotent. */
    override fun close(): Unit = socket.close()

    override fun toString(): String = "AsyncSocket(${socket.type})"
}

/**
 * The completion of one suspend call behind a future: hands the outcome to [settle] on [executor], except a
 * cancellation (the future was cancelled, so it is settled already).
 */
private class FutureCall<T>(private val executor: Executor, private val settle: (Result<T>) -> Unit) : Continuation<T> {
    val job = Job()
    override val context: CoroutineContext get() = job

    override fun resumeWith(result: Result<T>) {
        if (result.exceptionOrNull() is CancellationException) return
        executor.execute { settle(result) }
    }
}
