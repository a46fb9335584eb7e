package io.zerokt.benchmarks.jmh;

import io.zerokt.benchmarks.rig.RoundTripRig;
import io.zerokt.benchmarks.rig.Rigs;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip time (microseconds per request and reply) of REQ/REP and DEALER/ROUTER for ZeroKt and JeroMQ: the
 * benchmark thread is the client, a background party echoes. libzmq's remote_lat prints half of this figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundTrip {
    /** Round trips per benchmark call. */
    static final int BATCH = 100;

    @Param({"zerokt", "jeromq"})
    public String impl;

    @Param({"req-rep", "dealer-router"})
    public String pattern;

    @Param({"inproc", "ipc", "tcp"})
    public String transport;

    @Param({"64"})
    public int size;

    private RoundTripRig rig;

    @Setup(Level.Trial)
    public void setUp() {
        rig = Rigs.roundTrip(impl, pattern, transport, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        rig.close();
    }

    /** Makes {@link #BATCH} round trips. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void roundTrip() {
        rig.roundTrips(BATCH);
    }
}
