package io.zerokt.benchmarks.jmh;

import io.zerokt.benchmarks.rig.Rigs;
import io.zerokt.benchmarks.rig.StreamRig;
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
 * PUSH/PULL throughput (messages per second at the PULL) for ZeroKt and JeroMQ, side by side: a background sender
 * sends one message size flat out and the benchmark thread receives. Equivalent of libzmq's local_thr/remote_thr in
 * one process. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per message by both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PushPullThroughput {
    /** Messages received per benchmark call. */
    static final int BATCH = 1000;

    @Param({"zerokt", "jeromq"})
    public String impl;

    @Param({"inproc", "ipc", "tcp"})
    public String transport;

    @Param({"16", "64", "1024", "65536"})
    public int size;

    private StreamRig rig;

    @Setup(Level.Trial)
    public void setUp() {
        rig = Rigs.stream(impl, transport, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        rig.close();
    }

    /** Receives {@link #BATCH} messages. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void receive() {
        rig.receive(BATCH);
    }
}
