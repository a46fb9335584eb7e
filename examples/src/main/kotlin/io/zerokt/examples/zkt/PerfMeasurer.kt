package io.zerokt.examples.zkt

import kotlinx.coroutines.CancellationException
import org.zeromq.ZContext

/**
 * Runs single `zkt perf` measurements, each in a fresh context (ZeroKt's from [common], or a JeroMQ `ZContext`) that
 * is closed afterwards, within [runner]'s time limit. ipc endpoints are files in [ipc].
 *
 * ## Errors
 * [measure] never throws a measurement's failure: it returns a [PerfResult] whose `error` says what went wrong.
 * Cancellation is rethrown.
 */
internal class PerfMeasurer(
    private val common: CommonOptions,
    private val ipc: IpcDirectory,
    private val runner: BoundedRunner,
    timeoutMillis: Int,
) {
    private val zerokt = ZeroKtBench(common)
    private val jeromq = JeromqBench(timeoutMillis = timeoutMillis)

    /** Measures [case] once with [counts]; [run] numbers the measurement so that its endpoints are its own. */
    suspend fun measure(case: PerfCase, counts: PerfCounts, run: Int): PerfResult {
        val outcome = try {
            when (case.impl) {
                Impl.ZEROKT, Impl.ZEROKT_IO_URING, Impl.ZEROKT_IO_URING_CORK, Impl.ZEROKT_IO_URING_ZC, Impl.ZEROKT_IO_URING_MULTISHOT -> {
                    val endpoint = when (case.transport) {
                        Transport.INPROC -> "inproc://zkt-perf-$run"
                        Transport.IPC -> ipc.endpoint("$run.sock")
                        Transport.TCP -> "tcp://127.0.0.1:*"
                    }
                    val context = common.newContext()
                    runner.run(release = { context.close() }) { zerokt.measure(context, case, endpoint, counts) }
                }
                Impl.JEROMQ -> {
                    val context = ZContext(1)
                    runner.run(release = { context.close() }) { jeromq.measure(context, case, "zkt-jeromq-$run", counts) }
                }
            }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            Result.failure(e)
        }
        return outcome.fold(
            onSuccess = { PerfResult(case, it, null) },
            onFailure = { PerfResult(case, null, describeFailure(it)) },
        )
    }
}
