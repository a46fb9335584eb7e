package io.zerokt.testing

import io.zerokt.Context
import io.zerokt.ZKT_CTX_IO_URING

/**
 * The system property that runs a test suite on the io_uring engine: when it is `true`, every context made by
 * [testContext] makes its sockets with `ZKT_IO_URING` on. `zmq-uring`'s build sets it to run the engine's pattern,
 * interop and leak tests a second time on io_uring.
 */
const val IO_URING_PROPERTY: String = "zerokt.test.ioUring"

/** True when this test run puts its sockets on the io_uring engine (see [IO_URING_PROPERTY]). */
val testsUseIoUring: Boolean get() = System.getProperty(IO_URING_PROPERTY) == "true"

/** A context for a test: [Context] with [ioThreads], with io_uring sockets when [testsUseIoUring]. */
fun testContext(ioThreads: Int = 1): Context =
    Context(ioThreads).also { if (testsUseIoUring) it.setOption(ZKT_CTX_IO_URING, 1) }
