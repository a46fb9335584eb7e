@file:Suppress("INVISIBLE_REFERENCE", "INVISIBLE_MEMBER")

package io.zerokt.engine.internal.socket

import io.zerokt.Message
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.SelectClause1
import kotlinx.coroutines.selects.SelectClause1Impl
import kotlinx.coroutines.selects.SelectInstance

/**
 * `Socket.onReceive`: a `select` clause that receives the socket's next message.
 *
 * A message is taken only under the socket's receive lock and then offered to the select; should the select have
 * been won by another clause in that instant, the message is given back to the socket, ahead of every other, so a
 * clause that loses never loses a message. Waiting costs one coroutine per registration on
 * [Dispatchers.Unconfined]: it runs in the thread that fires the socket's readability signal and is cancelled
 * when the select completes. RCVTIMEO does not apply (a `select` has `onTimeout`).
 *
 * Built on kotlinx.coroutines' `SelectClause1Impl` (marked internal API; the form `Channel`'s and `Deferred`'s
 * own clauses take since 1.7); the build pins the coroutines version.
 */
@OptIn(InternalCoroutinesApi::class)
internal class ReceiveClause(private val socket: RealSocket) {
    /** What a receive would have thrown, passed through the select and thrown in the selecting coroutine. */
    class Failure(val error: Throwable)

    val clause: SelectClause1<Message> = SelectClause1Impl(
        clauseObject = socket,
        regFunc = { _: Any, select: SelectInstance<*>, _: Any? -> register(select) },
        processResFunc = { _: Any, _: Any?, result: Any? -> if (result is Failure) throw result.error else result },
    )

    private fun register(select: SelectInstance<*>) {
        val wake = socket.readSignal.arm()
        var now: Any? = null
        val offered = socket.tryOfferNext { next -> now = next; true }
        if (offered == true) {
            select.selectInRegistrationPhase(now)
            return
        }
        val waiter = CoroutineScope(Dispatchers.Unconfined).launch(start = CoroutineStart.UNDISPATCHED) {
            // Lock busy (offered == null): another receive is running; look again once it is done.
            var armed: CompletableDeferred<Unit>? = if (offered == null) offer(select, wake) else wake
            while (armed != null) {
                armed.await()
                armed = offer(select, socket.readSignal.arm())
            }
        }
        select.disposeOnCompletion { waiter.cancel() }
    }

    /** Offers the next message to [select]: null once offered (won or given back), else [armed] to wait on. */
    private suspend fun offer(select: SelectInstance<*>, armed: CompletableDeferred<Unit>): CompletableDeferred<Unit>? =
        if (socket.offerNext { next -> select.trySelect(socket, next) }) null else armed
}
