package io.zerokt.benchmarks.jmh;

import io.zerokt.benchmarks.rig.FanOutRig;
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
 * PUB fan-out for ZeroKt and JeroMQ: messages published per second when each one must reach every subscriber
 * (1, 10 or 100 SUBs, each drained by its own consumer). Multiply by the subscriber count for deliveries per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PubFanOut {
    /** Messages published (and awaited at every subscriber) per benchmark call. */
    static final int BATCH = 1000;

    @Param({"zerokt", "jeromq"})
    public String impl;

    @Param({"inproc", "tcp"})
    public String transport;

    @Param({"1", "10", "100"})
    public int subscribers;

    @Param({"64"})
    public int size;

    private FanOutRig rig;

    @Setup(Level.Trial)
    public void setUp() {
        rig = Rigs.fanOut(impl, transport, subscribers, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        rig.close();
    }

    /** Publishes {@link #BATCH} messages and waits until all subscribers have them. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publish() {
        rig.publish(BATCH);
    }
}
