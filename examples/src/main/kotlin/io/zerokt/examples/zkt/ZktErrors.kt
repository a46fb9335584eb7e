package io.zerokt.examples.zkt

import io.zerokt.ZmqException

/**
 * A failure `zkt` reports as one `zkt: error: MESSAGE` line and exits with [exitCode] (1 unless said otherwise).
 * Usage errors are picocli `ParameterException`s instead (exit 2).
 */
class ZktException(message: String, val exitCode: Int = EXIT_FAILURE, cause: Throwable? = null) :
    RuntimeException(message, cause)

/** Runs [block], turning a [ZmqException] into a [ZktException] that says what was being done ([what]). */
internal inline fun <T> describing(what: String, block: () -> T): T =
    try {
        block()
    } catch (e: ZmqException) {
        throw ZktException("$what: ${e.message}", cause = e)
    }

/** The one-line description of [failure] that follows `zkt: error:`. */
internal fun describeFailure(failure: Throwable): String = when (failure) {
    is ZktException, is ZmqException -> failure.message ?: failure.javaClass.simpleName
    is IllegalStateException, is IllegalArgumentException -> failure.message ?: failure.javaClass.simpleName
    else -> failure.javaClass.simpleName + (failure.message?.let { ": $it" } ?: "")
}.trim().replace(Regex("\\s*\\R\\s*"), "; ")
