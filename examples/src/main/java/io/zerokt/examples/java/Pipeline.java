package io.zerokt.examples.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.ZeroKt;
import io.zerokt.ZmqError;
import io.zerokt.ZmqException;
import io.zerokt.java.BlockingSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * A push/pull pipeline: a ventilator PUSHes tasks to worker threads (round-robin), each worker squares its number
 * and PUSHes the result to a sink, which sums them. When the sink has every result, closing the context stops the
 * workers: each one blocked in {@code recv} wakes with ETERM (a "stop" message per worker would not do: round-robin
 * over workers that come and go does not promise one message each).
 */
public final class Pipeline {
    /** Runs the pipeline over [tasks] numbers with [workers] worker threads; returns the sum of the squares. */
    public static long run(int tasks, int workers) throws InterruptedException {
        try (Context ctx = ZeroKt.context();
             BlockingSocket ventilator = new BlockingSocket(ctx, SocketType.PUSH);
             BlockingSocket sink = new BlockingSocket(ctx, SocketType.PULL)) {
            ventilator.bind("inproc://tasks");
            sink.bind("inproc://results");
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Thread worker = new Thread(() -> {
                    try (BlockingSocket in = new BlockingSocket(ctx, SocketType.PULL);
                         BlockingSocket out = new BlockingSocket(ctx, SocketType.PUSH)) {
                        in.connect("inproc://tasks");
                        out.connect("inproc://results");
                        while (true) {
                            long n = Long.parseLong(in.recvStr());
                            out.send(Long.toString(n * n));
                        }
                    } catch (ZmqException e) {
                        if (e.getError() != ZmqError.ETERM) throw e; // ETERM: the context closed, time to stop
                    }
                });
                worker.start();
                threads.add(worker);
            }
            for (int i = 1; i <= tasks; i++) ventilator.send(Integer.toString(i));
            long sum = 0;
            for (int i = 0; i < tasks; i++) sum += Long.parseLong(sink.recvStr());
            ctx.close();
            for (Thread t : threads) t.join();
            return sum;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("sum of squares 1..100 = " + run(100, 4));
    }
}
