package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.Message;
import io.zerokt.SocketType;
import io.zerokt.ZmqError;
import io.zerokt.ZmqException;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The CompletableFuture socket: sends and receives as futures, cancellation that takes nothing, errors. */
@Timeout(60)
class AsyncSocketTest {
    private Context ctx;

    @BeforeEach
    void open() {
        ctx = TestContexts.testContext();
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    @Test
    void requestAndReplyAsFutures() throws Exception {
        try (AsyncSocket rep = new AsyncSocket(ctx, SocketType.REP); AsyncSocket req = new AsyncSocket(ctx, SocketType.REQ)) {
            rep.bind(Endpoints.INSTANCE.tcpWildcard());
            req.connect(rep.getLastEndpoint());
            CompletableFuture<String> served = rep.recvStr().thenCompose(q -> rep.send(q + " World")).thenApply(v -> "served");
            String reply = req.send("Hello").thenCompose(v -> req.recvStr()).get(10, TimeUnit.SECONDS);
            assertEquals("Hello World", reply);
            assertEquals("served", served.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCancelledReceiveTakesNothingAndTheNextReceiveGetsTheMessage() throws Exception {
        try (AsyncSocket pull = new AsyncSocket(ctx, SocketType.PULL); BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH)) {
            pull.bind(Endpoints.INSTANCE.inprocEndpoint("async"));
            push.connect(pull.getLastEndpoint());
            CompletableFuture<Message> pending = pull.recv();
            assertFalse(pending.isDone());
            assertTrue(pending.cancel(true));
            push.send("for the next one");
            assertEquals("for the next one", pull.recv().get(10, TimeUnit.SECONDS).decodeToString());
        }
    }

    @Test
    void cancellingManyReceivesWhileMessagesStreamLosesAndDuplicatesNothing() throws Exception {
        int count = 5000;
        try (AsyncSocket pull = new AsyncSocket(ctx, SocketType.PULL); BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH)) {
            pull.bind(Endpoints.INSTANCE.tcpWildcard());
            push.connect(pull.getLastEndpoint());
            Thread sender = new Thread(() -> {
                for (int i = 0; i < count; i++) push.send(Integer.toString(i));
            });
            sender.start();
            int expected = 0;
            int attempt = 0;
            while (expected < count) {
                CompletableFuture<Message> f = pull.recv();
                if (attempt++ % 2 == 0 && f.cancel(true)) continue;
                assertEquals(Integer.toString(expected), f.get(10, TimeUnit.SECONDS).decodeToString());
                expected++;
            }
            sender.join(10_000);
            CompletableFuture<Message> none = pull.recv();
            assertThrows(java.util.concurrent.TimeoutException.class, () -> none.get(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void receivesWithdrawnByOrTimeoutWhileMessagesStreamLoseAndReorderNothing() throws Exception {
        int count = 3000;
        try (AsyncSocket pull = new AsyncSocket(ctx, SocketType.PULL); BlockingSocket push = new BlockingSocket(ctx, SocketType.PUSH)) {
            pull.bind(Endpoints.INSTANCE.inprocEndpoint("async-timeout"));
            push.connect(pull.getLastEndpoint());
            Thread sender = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    push.send(Integer.toString(i));
                    if (i % 100 == 0) Thread.yield();
                }
            });
            sender.start();
            int expected = 0;
            while (expected < count) {
                CompletableFuture<Message> f = pull.recv().orTimeout(1, TimeUnit.MICROSECONDS);
                Message m;
                try {
                    m = f.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
                    continue;
                }
                assertEquals(Integer.toString(expected), m.decodeToString());
                expected++;
            }
            sender.join(10_000);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> pull.recv().get(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aTimedOutReceiveFailsWithEagainAndClosingFailsPendingFutures() throws Exception {
        AsyncSocket pull = new AsyncSocket(ctx, SocketType.PULL);
        pull.setOption(io.zerokt.Zmq.ZMQ_RCVTIMEO, 50);
        pull.bind(Endpoints.INSTANCE.inprocEndpoint("async"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> pull.recv().get(10, TimeUnit.SECONDS));
        assertEquals(ZmqError.EAGAIN, ((ZmqException) e.getCause()).getError());

        pull.setOption(io.zerokt.Zmq.ZMQ_RCVTIMEO, -1);
        CompletableFuture<Message> pending = pull.recv();
        pull.close();
        e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        assertEquals(ZmqError.ENOTSOCK, ((ZmqException) e.getCause()).getError());
    }
}
