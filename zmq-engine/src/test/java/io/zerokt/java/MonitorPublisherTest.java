package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.MonitorEvent;
import io.zerokt.MonitorEventType;
import io.zerokt.SocketType;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Monitor events as a java.util.concurrent.Flow.Publisher: the same events as the Kotlin flow, demand honoured. */
@Timeout(30)
class MonitorPublisherTest {
    /** A subscriber that queues what it gets and asks for one event at a time. */
    static final class Recorder implements Flow.Subscriber<MonitorEvent> {
        final BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();
        final CountDownLatch completed = new CountDownLatch(1);
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        @Override public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(1);
        }

        @Override public void onNext(MonitorEvent event) {
            events.add(event);
            subscription.get().request(1);
        }

        @Override public void onError(Throwable t) {
            fail(t);
        }

        @Override public void onComplete() {
            completed.countDown();
        }

        MonitorEvent await(MonitorEventType type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                MonitorEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && e.getType() == type) return e;
            }
            throw new AssertionError("no " + type + " event within 10 s");
        }
    }

    @Test
    void publishesListeningHandshakeAndStopsWithTheSocket() throws Exception {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket server = new BlockingSocket(ctx, SocketType.REP);
             BlockingSocket client = new BlockingSocket(ctx, SocketType.REQ)) {
            Recorder serverEvents = new Recorder();
            Recorder clientEvents = new Recorder();
            server.monitor().subscribe(serverEvents);
            client.monitor().subscribe(clientEvents);
            server.bind(Endpoints.INSTANCE.tcpWildcard());
            assertEquals(server.getLastEndpoint(), serverEvents.await(MonitorEventType.LISTENING).getEndpoint());
            client.connect(server.getLastEndpoint());
            clientEvents.await(MonitorEventType.CONNECTED);
            clientEvents.await(MonitorEventType.HANDSHAKE_SUCCEEDED);
            serverEvents.await(MonitorEventType.ACCEPTED);
            serverEvents.await(MonitorEventType.HANDSHAKE_SUCCEEDED);

            client.close();
            clientEvents.await(MonitorEventType.MONITOR_STOPPED);
            assertTrue(clientEvents.completed.await(10, TimeUnit.SECONDS), "onComplete after the socket closed");
        }
    }

    @Test
    void withoutDemandNothingIsDeliveredAndANonPositiveRequestIsAnError() throws Exception {
        try (Context ctx = TestContexts.testContext(); BlockingSocket s = new BlockingSocket(ctx, SocketType.PUB)) {
            BlockingQueue<Object> got = new LinkedBlockingQueue<>();
            AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
            s.monitor().subscribe(new Flow.Subscriber<MonitorEvent>() {
                @Override public void onSubscribe(Flow.Subscription subscription) { sub.set(subscription); }
                @Override public void onNext(MonitorEvent item) { got.add(item); }
                @Override public void onError(Throwable throwable) { got.add(throwable); }
                @Override public void onComplete() { got.add("complete"); }
            });
            s.bind(Endpoints.INSTANCE.tcpWildcard());
            assertNull(got.poll(200, TimeUnit.MILLISECONDS), "no demand, no event");
            sub.get().request(1);
            MonitorEvent first = (MonitorEvent) got.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals(MonitorEventType.LISTENING, first.getType());
            sub.get().request(0);
            assertInstanceOf(IllegalArgumentException.class, got.poll(10, TimeUnit.SECONDS));
        }
    }
}
