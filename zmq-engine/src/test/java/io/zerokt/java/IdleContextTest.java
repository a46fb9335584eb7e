package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import static org.junit.jupiter.api.Assertions.*;

/** An idle context, with connected sockets and a thread blocked in recv, burns no CPU (no spinning threads). */
@Timeout(60)
class IdleContextTest {
    static long cpuNanosOfOtherThreads(ThreadMXBean mx) {
        long total = 0;
        long self = Thread.currentThread().getId();
        for (long id : mx.getAllThreadIds()) {
            if (id == self) continue;
            long t = mx.getThreadCpuTime(id);
            if (t > 0) total += t;
        }
        return total;
    }

    @Test
    void anIdleContextUsesNoCpuOverTenSeconds() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeCpuTime(mx);
        try (Context ctx = TestContexts.testContext();
             BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH)) {
            pull.bind(Endpoints.INSTANCE.tcpWildcard());
            push.connect(pull.getLastEndpoint());
            push.send("warm-up");
            assertEquals("warm-up", pull.recvStr());
            Thread blocked = new Thread(() -> {
                try {
                    pull.recv();
                } catch (RuntimeException ignored) {
                    // ENOTSOCK when the socket closes at the end of the test
                }
            });
            blocked.start();

            long before = cpuNanosOfOtherThreads(mx);
            // The measurement window itself: nothing here waits for an event.
            Thread.sleep(10_000);
            long used = cpuNanosOfOtherThreads(mx) - before;
            // A spinning thread would use about 10 s; JIT and GC of the test JVM stay far below this bound.
            assertTrue(used < 1_000_000_000L, "threads used " + used / 1_000_000 + " ms of CPU in 10 s of idling");
            pull.close();
            blocked.join(10_000);
        }
    }

    private static void assumeCpuTime(ThreadMXBean mx) {
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadCpuTimeSupported(), "thread CPU time is not measurable here");
        if (!mx.isThreadCpuTimeEnabled()) mx.setThreadCpuTimeEnabled(true);
    }
}
