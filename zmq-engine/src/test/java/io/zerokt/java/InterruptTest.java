package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.MonitorEvent;
import io.zerokt.MonitorEventType;
import io.zerokt.SocketType;
import io.zerokt.ZmqError;
import io.zerokt.ZmqException;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What JeroMQ users asked for: Thread.interrupt() unblocks send/recv/poll with EINTR and loses or duplicates
 * nothing; closing the context wakes blocked threads with ETERM.
 */
@Timeout(60)
class InterruptTest {
    /** Runs [body] on a new thread and returns what it threw (or null), once it has finished. */
    static Thread start(Runnable body, AtomicReference<Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        return t;
    }

    /**
     * Runs [body] on a new thread (what it throws goes to [thrown]), interrupting that thread every [periodMicros]
     * until [body] ends; returns how many interrupts were sent.
     */
    static int runInterrupted(Runnable body, long periodMicros, AtomicReference<Throwable> thrown) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e); // before the count-down, so that the caller sees it once the body has ended
            } finally {
                done.countDown();
            }
        });
        t.start();
        int interrupts = 0;
        while (!done.await(periodMicros, TimeUnit.MICROSECONDS)) {
            t.interrupt();
            interrupts++;
        }
        return interrupts;
    }

    /** Rethrows [e] unless it is EINTR; an EINTR is counted in [eintr], and the flag it set again is cleared. */
    static void expectEintr(ZmqException e, AtomicInteger eintr) {
        if (e.getError() != ZmqError.EINTR) throw e;
        eintr.incrementAndGet();
        Thread.interrupted();
    }

    /** Waits until [t] is parked (blocked in our call), bounded. */
    static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) fail("the thread never blocked: " + t.getState());
            Thread.onSpinWait();
        }
    }

    @Test
    void interruptEndsABlockedRecvWithEintrAndTheSocketStaysUsable() throws Exception {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH)) {
            pull.bind(Endpoints.INSTANCE.tcpWildcard());
            push.connect(pull.getLastEndpoint());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagAfter = new AtomicBoolean();
            Thread receiver = start(() -> {
                try {
                    pull.recv();
                } finally {
                    flagAfter.set(Thread.interrupted());
                }
            }, thrown);
            awaitBlocked(receiver);
            receiver.interrupt();
            receiver.join(10_000);
            assertFalse(receiver.isAlive());
            ZmqException e = assertInstanceOf(ZmqException.class, thrown.get());
            assertEquals(ZmqError.EINTR, e.getError());
            assertTrue(flagAfter.get(), "the interrupt flag is set again");

            push.send("after");
            assertEquals("after", pull.recvStr());
        }
    }

    @Test
    void interruptEndsABlockedSendWhichQueuedNothing() throws Exception {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH);
             BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL)) {
            push.setLinger(0);
            push.bind(Endpoints.INSTANCE.inprocEndpoint("interrupt"));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread sender = start(() -> push.send("interrupted"), thrown);
            awaitBlocked(sender);
            sender.interrupt();
            sender.join(10_000);
            assertEquals(ZmqError.EINTR, assertInstanceOf(ZmqException.class, thrown.get()).getError());

            pull.connect(push.getLastEndpoint());
            push.send("next");
            assertEquals("next", pull.recvStr(), "the interrupted message was never queued");
        }
    }

    @Test
    void interruptingARecvManyTimesLosesAndDuplicatesNothing() throws Exception {
        int count = 20_000;
        try (Context ctx = TestContexts.testContext();
             BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH)) {
            pull.setReceiveHighWaterMark(10);
            push.setSendHighWaterMark(10);
            pull.bind(Endpoints.INSTANCE.tcpWildcard());
            push.connect(pull.getLastEndpoint());
            AtomicInteger eintr = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                for (int i = 0; i < count; i++) push.send(Integer.toString(i));
            });
            sender.start();
            int interrupts = runInterrupted(() -> {
                int expected = 0;
                while (expected < count) {
                    try {
                        int got = Integer.parseInt(pull.recvStr());
                        if (got != expected) throw new AssertionError("expected " + expected + " got " + got);
                        expected++;
                    } catch (ZmqException e) {
                        expectEintr(e, eintr);
                    }
                }
            }, 100, failed);
            sender.join(10_000);
            assertNull(failed.get(), () -> "receiver failed: " + failed.get());
            assertNull(pull.tryRecv(), "no message was duplicated");
            assertTrue(eintr.get() > 0, "some receives were really interrupted (" + interrupts + " interrupts)");
        }
    }

    @Test
    void interruptingAReqClientManyTimesLosesNothingAndKeepsItsConnection() throws Exception {
        // REQ writes a request from the calling thread (a direct write) when nothing is queued before it: an interrupt
        // must not close the connection under that write (as JeroMQ's interruptible channel writes did), nor lose,
        // repeat or reorder a request or a reply. A send that ends in EINTR sent nothing, so it is sent again.
        int count = 10_000;
        try (Context ctx = TestContexts.testContext();
             BlockingSocket rep = new BlockingSocket(ctx, SocketType.REP);
             BlockingSocket req = new BlockingSocket(ctx, SocketType.REQ)) {
            AtomicInteger disconnects = new AtomicInteger();
            rep.monitor().subscribe(new Flow.Subscriber<MonitorEvent>() {
                @Override public void onSubscribe(Flow.Subscription subscription) { subscription.request(Long.MAX_VALUE); }
                @Override public void onNext(MonitorEvent event) {
                    if (event.getType() == MonitorEventType.DISCONNECTED) disconnects.incrementAndGet();
                }
                @Override public void onError(Throwable throwable) { }
                @Override public void onComplete() { }
            });
            rep.bind(Endpoints.INSTANCE.tcpWildcard());
            req.connect(rep.getLastEndpoint());
            // Echoes until the socket closes at the end of the test (then recv throws, which ends the thread).
            Thread server = start(() -> {
                while (true) rep.send(rep.recvStr());
            }, new AtomicReference<>());
            AtomicInteger eintr = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            runInterrupted(() -> {
                int i = 0;
                while (i < count) {
                    try {
                        req.send(Integer.toString(i));
                    } catch (ZmqException e) {
                        expectEintr(e, eintr);
                        continue;
                    }
                    // A lost request or reply fails the client after 10 s instead of hanging it.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (true) {
                        if (System.nanoTime() > deadline) throw new AssertionError("no reply to " + i + " within 10 s");
                        try {
                            String reply = req.recvStr();
                            if (!reply.equals(Integer.toString(i))) throw new AssertionError("sent " + i + ", reply " + reply);
                            break;
                        } catch (ZmqException e) {
                            expectEintr(e, eintr);
                        }
                    }
                    i++;
                }
            }, 50, failed);
            assertNull(failed.get(), () -> "the client failed: " + failed.get());
            assertTrue(eintr.get() > 0, "some sends or receives were really interrupted");
            assertEquals(0, disconnects.get(), "no interrupt closed the connection");
            rep.close();
            server.join(10_000);
            assertFalse(server.isAlive());
        }
    }

    @Test
    void interruptEndsABlockedPoll() throws Exception {
        try (Context ctx = TestContexts.testContext(); BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL)) {
            Poller poller = new Poller();
            poller.register(pull, Poller.POLLIN);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = start(() -> poller.poll(-1), thrown);
            awaitBlocked(t);
            t.interrupt();
            t.join(10_000);
            assertEquals(ZmqError.EINTR, assertInstanceOf(ZmqException.class, thrown.get()).getError());
        }
    }

    @Test
    void closingTheContextWakesBlockedThreadsWithEterm() throws Exception {
        Context ctx = TestContexts.testContext();
        BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL);
        BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH);
        BlockingSocket other = new BlockingSocket(ctx, SocketType.PULL);
        push.setLinger(100);
        pull.bind(Endpoints.INSTANCE.tcpWildcard());
        AtomicReference<Throwable> recvThrown = new AtomicReference<>();
        AtomicReference<Throwable> sendThrown = new AtomicReference<>();
        AtomicReference<Throwable> pollThrown = new AtomicReference<>();
        Thread receiver = start(pull::recv, recvThrown);
        Thread sender = start(() -> push.send("nowhere"), sendThrown);
        Poller poller = new Poller();
        poller.register(other, Poller.POLLIN);
        Thread poll = start(() -> poller.poll(-1), pollThrown);
        awaitBlocked(receiver);
        awaitBlocked(sender);
        awaitBlocked(poll);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(ctx::close);
        closed.get(10, TimeUnit.SECONDS);
        for (Thread t : new Thread[]{receiver, sender, poll}) {
            t.join(10_000);
            assertFalse(t.isAlive());
        }
        for (AtomicReference<Throwable> r : java.util.List.of(recvThrown, sendThrown, pollThrown)) {
            assertEquals(ZmqError.ETERM, assertInstanceOf(ZmqException.class, r.get()).getError(), String.valueOf(r.get()));
        }
    }
}
