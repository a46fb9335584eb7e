package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.Message;
import io.zerokt.ProxyStatistics;
import io.zerokt.SocketType;
import io.zerokt.ZmqError;
import io.zerokt.ZmqException;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** zmq_proxy and zmq_proxy_steerable from Java: a ROUTER/DEALER broker, a capture socket, PAUSE/RESUME/STATISTICS/TERMINATE. */
@Timeout(60)
class ProxyTest {
    @Test
    void aRouterDealerProxyBrokersRequestsAndCopiesEveryMessageToCapture() throws Exception {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket frontend = new BlockingSocket(ctx, SocketType.ROUTER);
             BlockingSocket backend = new BlockingSocket(ctx, SocketType.DEALER);
             BlockingSocket capture = new BlockingSocket(ctx, SocketType.PUSH);
             BlockingSocket captured = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket client = new BlockingSocket(ctx, SocketType.REQ);
             BlockingSocket worker = new BlockingSocket(ctx, SocketType.REP)) {
            frontend.bind(Endpoints.INSTANCE.tcpWildcard());
            backend.bind(Endpoints.INSTANCE.tcpWildcard());
            captured.bind(Endpoints.INSTANCE.inprocEndpoint("capture"));
            capture.connect(captured.getLastEndpoint());
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread proxy = InterruptTest.start(() -> Proxies.proxy(frontend, backend, capture), ended);

            worker.connect(backend.getLastEndpoint());
            client.connect(frontend.getLastEndpoint());
            for (int i = 0; i < 5; i++) {
                client.send("request " + i);
                assertEquals("request " + i, worker.recvStr());
                worker.send("reply " + i);
                assertEquals("reply " + i, client.recvStr());
            }
            for (int i = 0; i < 10; i++) {
                Message copy = captured.recvMsg();
                // Each copy is the message as the proxy moved it: routing id, empty delimiter, body.
                String body = copy.last().decodeToString();
                assertEquals((i % 2 == 0 ? "request " : "reply ") + i / 2, body);
            }
            proxy.interrupt();
            proxy.join(10_000);
            assertEquals(ZmqError.EINTR, assertInstanceOf(ZmqException.class, ended.get()).getError());
        }
    }

    @Test
    void aSteerableProxyPausesResumesReportsStatisticsAndTerminates() throws Exception {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket frontend = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket backend = new BlockingSocket(ctx, SocketType.PUSH);
             BlockingSocket control = new BlockingSocket(ctx, SocketType.REP);
             BlockingSocket commander = new BlockingSocket(ctx, SocketType.REQ);
             BlockingSocket producer = new BlockingSocket(ctx, SocketType.PUSH);
             BlockingSocket consumer = new BlockingSocket(ctx, SocketType.PULL)) {
            frontend.bind(Endpoints.INSTANCE.inprocEndpoint("front"));
            backend.bind(Endpoints.INSTANCE.inprocEndpoint("back"));
            control.bind(Endpoints.INSTANCE.inprocEndpoint("control"));
            commander.connect(control.getLastEndpoint());
            producer.connect(frontend.getLastEndpoint());
            consumer.connect(backend.getLastEndpoint());
            CompletableFuture<ProxyStatistics> result = CompletableFuture.supplyAsync(
                () -> Proxies.proxySteerable(frontend, backend, null, control));

            producer.send("one");
            assertEquals("one", consumer.recvStr());

            commander.send("PAUSE");
            commander.recv();
            producer.send("held");
            consumer.setReceiveTimeout(100);
            assertEquals(ZmqError.EAGAIN, assertThrows(ZmqException.class, consumer::recv).getError(), "paused: nothing moves");
            consumer.setReceiveTimeout(-1);
            commander.send("RESUME");
            commander.recv();
            assertEquals("held", consumer.recvStr());

            producer.send(Message.of("two", "frames"));
            assertEquals(2, consumer.recvMsg().getSize());

            commander.send("STATISTICS");
            ProxyStatistics stats = ProxyStatistics.fromMessage(commander.recvMsg());
            // libzmq counts message parts: 1 + 1 + 2 frames, 3 + 4 + 3 + 6 bytes, in at the frontend and out at the backend.
            assertEquals(4, stats.getFrontendMessagesIn());
            assertEquals(16, stats.getFrontendBytesIn());
            assertEquals(4, stats.getBackendMessagesOut());
            assertEquals(16, stats.getBackendBytesOut());
            assertEquals(0, stats.getBackendMessagesIn());
            assertEquals(0, stats.getFrontendMessagesOut());

            commander.send("TERMINATE");
            commander.recv();
            assertEquals(stats, result.get(10, TimeUnit.SECONDS));
        }
    }
}
