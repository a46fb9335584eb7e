@file:JvmName("TestContexts")

package io.zerokt.testing

import io.zerokt.Context
import io.zerokt.ZKT_CTX_IO_URING
import io.zerokt.ZKT_CTX_IO_URING_MULTISHOT

/**
 * The system property that runs a test suite on the io_uring engine: when it is `true`, every context made by
 * [testContext] makes its sockets with `ZKT_IO_URING` on. `zmq-uring`'s build sets it to run the engine's pattern,
 * interop and leak tests a second time on io_uring.
 */
const val IO_URING_PROPERTY: String = "zerokt.test.ioUring"

/**
 * The system property that, with [IO_URING_PROPERTY], also makes [testContext]'s io_uring sockets receive with
 * multishot receives (`ZKT_IO_URING_MULTISHOT`): `zmq-uring`'s build runs the same suites a third time with it.
 */
const val IO_URING_MULTISHOT_PROPERTY: String = "zerokt.test.ioUringMultishot"

/** True when this test run puts its sockets on the io_uring engine (see [IO_URING_PROPERTY]). */
val testsUseIoUring: Boolean get() = System.getProperty(IO_URING_PROPERTY) == "true"

/** True when this test run's io_uring sockets use multishot receives (see [IO_URING_MULTISHOT_PROPERTY]). */
val testsUseMultishot: Boolean get() = testsUseIoUring && System.getProperty(IO_URING_MULTISHOT_PROPERTY) == "true"

/**
 * A context for a test: [Context] with [ioThreads], with io_uring sockets when [testsUseIoUring], receiving with
 * multishot receives when [testsUseMultishot]. From Java: `TestContexts.testContext()`.
 */
@JvmOverloads
fun testContext(ioThreads: Int = 1): Context =
    Context(ioThreads).also {
        if (testsUseIoUring) it.setOption(ZKT_CTX_IO_URING, 1)
        if (testsUseMultishot) it.setOption(ZKT_CTX_IO_URING_MULTISHOT, 1)
    }
