package io.zerokt.java

import io.zerokt.ProxyStatistics
import io.zerokt.proxy
import io.zerokt.proxySteerable

/**
 * The built-in proxy for Java code, blocking the calling thread: `zmq_proxy` and `zmq_proxy_steerable` over
 * [BlockingSocket]s. See the Kotlin `io.zerokt.proxy` for the rules.
 *
 * ```java
 * new Thread(() -> Proxies.proxy(frontend, backend, null)).start();
 * ```
 *
 * An interrupt of the proxy's thread stops it with [io.zerokt.ZmqException] `EINTR`; closing a socket or the
 * context stops it with `ENOTSOCK`/`ETERM`.
 */
public object Proxies {
    /** Runs `zmq_proxy(frontend, backend, capture)` until a socket closes (then throws `ETERM`/`ENOTSOCK`). */
    @JvmStatic
    public fun proxy(frontend: BlockingSocket, backend: BlockingSocket, capture: BlockingSocket?) {
        blockingCall("proxy") { proxy(frontend.socket, backend.socket, capture?.socket) }
    }

    /**
     * Runs `zmq_proxy_steerable`: as [proxy], also obeying PAUSE, RESUME, TERMINATE and STATISTICS on [control];
     * returns the final counters after TERMINATE.
     */
    @JvmStatic
    public fun proxySteerable(frontend: BlockingSocket, backend: BlockingSocket, capture: BlockingSocket?, control: BlockingSocket): ProxyStatistics {
        return blockingCall("proxy") { proxySteerable(frontend.socket, backend.socket, capture?.socket, control.socket) } as ProxyStatistics
    }
}
