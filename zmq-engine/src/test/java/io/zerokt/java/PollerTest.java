package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/** The poller (zmq_poll's job) from Java: readable and writable sockets, timeouts, nothing consumed. */
@Timeout(30)
class PollerTest {
    @Test
    void pollReturnsTheReadableSocketsAndTakesNothing() {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket a = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket b = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket toB = new BlockingSocket(ctx, SocketType.PUSH)) {
            a.bind(Endpoints.INSTANCE.tcpWildcard());
            b.bind(Endpoints.INSTANCE.tcpWildcard());
            toB.connect(b.getLastEndpoint());
            Poller poller = new Poller();
            int ia = poller.register(a, Poller.POLLIN);
            int ib = poller.register(b, Poller.POLLIN);

            assertEquals(0, poller.poll(20), "nothing is ready yet");
            toB.send("for b");
            assertEquals(1, poller.poll(10_000));
            assertFalse(poller.isReadable(ia));
            assertTrue(poller.isReadable(ib));
            assertEquals(1, poller.poll(0), "polling again still sees it: nothing was taken");
            assertEquals("for b", b.recvStr());
            assertEquals(0, poller.poll(0));
        }
    }

    @Test
    void pollOutSeesWhenAPushGetsAPeerAndRoom() {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH);
             BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL)) {
            push.setSendHighWaterMark(1);
            pull.setReceiveHighWaterMark(1);
            push.bind(Endpoints.INSTANCE.inprocEndpoint("poller"));
            Poller poller = new Poller();
            int i = poller.register(push, Poller.POLLOUT | Poller.POLLIN);
            assertEquals(0, poller.poll(0), "no peer: not writable");
            pull.connect(push.getLastEndpoint());
            assertEquals(1, poller.poll(10_000));
            assertTrue(poller.isWritable(i));
            assertFalse(poller.isReadable(i));
            int sent = 0;
            while (push.trySend("m" + sent)) sent++;
            assertEquals(0, poller.poll(0), "every pipe at its high-water mark");
            assertEquals("m0", pull.recvStr());
            assertEquals(1, poller.poll(10_000), "room again");
            assertTrue(poller.isWritable(i));
        }
    }

    @Test
    void pollWaitsForTheFirstOfSeveralSockets() throws Exception {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket a = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket b = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket toA = new BlockingSocket(ctx, SocketType.PUSH)) {
            a.bind(Endpoints.INSTANCE.inprocEndpoint("poller"));
            b.bind(Endpoints.INSTANCE.inprocEndpoint("poller"));
            toA.connect(a.getLastEndpoint());
            Poller poller = new Poller();
            poller.register(b, Poller.POLLIN);
            int ia = poller.register(a, Poller.POLLIN);
            Thread later = new Thread(() -> toA.send("late"));
            later.start();
            assertEquals(1, poller.poll(-1));
            assertTrue(poller.isReadable(ia));
            later.join();
        }
    }
}
