package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.Message;
import io.zerokt.SocketType;
import io.zerokt.ZeroKt;
import io.zerokt.Zmq;
import io.zerokt.ZmqError;
import io.zerokt.ZmqException;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The blocking socket as a Java user calls it: bind/connect, send/recv in every form, options, timeouts, threads. */
@Timeout(30)
class BlockingSocketTest {
    private Context ctx;

    @BeforeEach
    void open() {
        ctx = TestContexts.testContext();
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    static String fresh(String transport) {
        switch (transport) {
            case "inproc": return Endpoints.INSTANCE.inprocEndpoint("java");
            case "ipc": return Endpoints.INSTANCE.ipcEndpoint("java");
            default: return Endpoints.INSTANCE.tcpWildcard();
        }
    }

    BlockingSocket socket(SocketType type) {
        BlockingSocket s = new BlockingSocket(ctx, type);
        s.setLinger(0);
        return s;
    }

    @Test
    void zeroKtContextIsTheJavaEntryPointAndRefusesZeroIoThreads() {
        // The other tests take their contexts from the fixtures (TestContexts), which io_uring runs switch over.
        try (Context own = ZeroKt.context(2);
             BlockingSocket pull = new BlockingSocket(own, SocketType.PULL);
             BlockingSocket push = new BlockingSocket(own, SocketType.PUSH)) {
            pull.bind(fresh("tcp"));
            push.connect(pull.getLastEndpoint());
            push.send("from ZeroKt.context(2)");
            assertEquals("from ZeroKt.context(2)", pull.recvStr());
        }
        assertThrows(IllegalArgumentException.class, () -> ZeroKt.context(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"inproc", "ipc", "tcp"})
    void requestAndReplyWithStrings(String transport) {
        try (BlockingSocket rep = socket(SocketType.REP); BlockingSocket req = socket(SocketType.REQ)) {
            rep.bind(fresh(transport));
            req.connect(rep.getLastEndpoint());
            for (int i = 0; i < 10; i++) {
                req.send("Hello " + i);
                assertEquals("Hello " + i, rep.recvStr());
                rep.send("World " + i);
                assertEquals("World " + i, req.recvStr());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inproc", "ipc", "tcp"})
    void multipartFramesGoTogetherAndReadOneByOne(String transport) {
        try (BlockingSocket pull = socket(SocketType.PULL); BlockingSocket push = socket(SocketType.PUSH)) {
            pull.bind(fresh(transport));
            push.connect(pull.getLastEndpoint());
            push.sendMore("a");
            push.sendMore("b".getBytes(StandardCharsets.UTF_8));
            push.send("c");
            push.send(Message.of("x", "y"));

            assertEquals("a", pull.recvStr());
            assertTrue(pull.hasReceiveMore());
            assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), pull.recv());
            assertTrue(pull.hasReceiveMore());
            assertEquals("c", pull.recvStr());
            assertFalse(pull.hasReceiveMore());

            Message whole = pull.recvMsg();
            assertEquals(2, whole.getSize());
            assertEquals("y", whole.get(1).decodeToString());
        }
    }

    @Test
    void recvMsgAfterPartialRecvReturnsTheRestOfTheMessage() {
        try (BlockingSocket pull = socket(SocketType.PULL); BlockingSocket push = socket(SocketType.PUSH)) {
            pull.bind(fresh("inproc"));
            push.connect(pull.getLastEndpoint());
            push.send(Message.of("1", "2", "3"));
            assertEquals("1", pull.recvStr());
            Message rest = pull.recvMsg();
            assertEquals(2, rest.getSize());
            assertEquals("2", rest.get(0).decodeToString());
            assertFalse(pull.hasReceiveMore());
        }
    }

    @Test
    void tryCallsNeverBlock() {
        try (BlockingSocket pull = socket(SocketType.PULL); BlockingSocket push = socket(SocketType.PUSH)) {
            pull.bind(fresh("inproc"));
            assertNull(pull.tryRecv());
            assertNull(pull.tryRecvMsg());
            assertFalse(push.trySend("nobody is connected"));
            push.connect(pull.getLastEndpoint());
            assertTrue(push.trySend("now"));
            assertEquals("now", pull.recvStr());
        }
    }

    @Test
    void timeoutsThrowEagain() {
        try (BlockingSocket pull = socket(SocketType.PULL); BlockingSocket push = socket(SocketType.PUSH)) {
            pull.setReceiveTimeout(50);
            pull.bind(fresh("tcp"));
            ZmqException e = assertThrows(ZmqException.class, pull::recv);
            assertEquals(ZmqError.EAGAIN, e.getError());

            push.setOption(Zmq.ZMQ_SNDTIMEO, 50);
            e = assertThrows(ZmqException.class, () -> push.send("no peer"));
            assertEquals(ZmqError.EAGAIN, e.getError());
        }
    }

    @Test
    void numericAndTypedOptionsAreTheSameOptions() {
        try (BlockingSocket s = socket(SocketType.DEALER)) {
            s.setOption(Zmq.ZMQ_SNDHWM, 1234);
            assertEquals(1234, s.getSendHighWaterMark());
            s.setReceiveHighWaterMark(77);
            assertEquals(77, s.getIntOption(Zmq.ZMQ_RCVHWM));
            s.setRoutingId("me".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("me".getBytes(StandardCharsets.UTF_8), (byte[]) s.getOption(Zmq.ZMQ_ROUTING_ID));
            ZmqException e = assertThrows(ZmqException.class, () -> s.setOption(9999, 1));
            assertEquals(ZmqError.EINVAL, e.getError());
        }
    }

    @Test
    void publishAndSubscribeWithTopics() throws Exception {
        try (BlockingSocket pub = socket(SocketType.PUB); BlockingSocket sub = socket(SocketType.SUB)) {
            pub.bind(fresh("tcp"));
            sub.subscribe("weather");
            sub.connect(pub.getLastEndpoint());
            // Subscriptions travel asynchronously: publish until the first match arrives.
            sub.setReceiveTimeout(20);
            String got = null;
            while (got == null) {
                pub.send("sports 1");
                pub.send("weather 1");
                try {
                    got = sub.recvStr();
                } catch (ZmqException e) {
                    assertEquals(ZmqError.EAGAIN, e.getError());
                }
            }
            assertEquals("weather 1", got);
        }
    }

    @Test
    void severalThreadsMaySendOnOneSocket() throws Exception {
        try (BlockingSocket pull = socket(SocketType.PULL); BlockingSocket push = socket(SocketType.PUSH)) {
            pull.bind(fresh("tcp"));
            push.connect(pull.getLastEndpoint());
            int threads = 4;
            int each = 2000;
            List<Thread> senders = new ArrayList<>();
            // sendMore state is per socket, so each thread sends whole messages.
            for (int t = 0; t < threads; t++) {
                final int id = t;
                senders.add(new Thread(() -> {
                    for (int i = 0; i < each; i++) push.send(Message.of(Integer.toString(id), Integer.toString(i)));
                }));
            }
            senders.forEach(Thread::start);
            int[] next = new int[threads];
            Set<String> seen = new HashSet<>();
            for (int n = 0; n < threads * each; n++) {
                Message m = pull.recvMsg();
                int id = Integer.parseInt(m.get(0).decodeToString());
                int i = Integer.parseInt(m.get(1).decodeToString());
                assertEquals(next[id]++, i, "messages of one thread stay in order");
                assertTrue(seen.add(id + ":" + i));
            }
            for (Thread s : senders) s.join();
            assertNull(pull.tryRecv());
        }
    }

    @Test
    void closedSocketFailsWithEnotsock() {
        BlockingSocket s = socket(SocketType.PUSH);
        s.close();
        s.close();
        ZmqException e = assertThrows(ZmqException.class, () -> s.send("x"));
        assertEquals(ZmqError.ENOTSOCK, e.getError());
    }
}
