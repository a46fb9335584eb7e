package io.zerokt.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.ZmqError;
import io.zerokt.ZmqException;
import io.zerokt.testing.Endpoints;
import io.zerokt.testing.TestContexts;
import io.zerokt.testing.JeroMqPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The Java blocking and future APIs against a real JeroMQ peer in the same JVM. */
@Timeout(60)
class JeroMqInteropTest {
    static List<byte[]> frames(String... parts) {
        return java.util.Arrays.stream(parts).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void blockingReqTalksToAJeroMqRep() {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket req = new BlockingSocket(ctx, SocketType.REQ);
             JeroMqPeer peer = JeroMqPeer.start()) {
            peer.socket("REP");
            String endpoint = peer.bind(Endpoints.INSTANCE.tcpWildcard());
            req.setLinger(0);
            // JeroMQ sometimes leaves a fresh connection without its greeting (zeromq/jeromq#1022): a short handshake
            // limit remakes such a connection within seconds, and REQ_RELAXED lets us ask again.
            req.setOption(io.zerokt.Zmq.ZMQ_HANDSHAKE_IVL, 2000);
            req.setOption(io.zerokt.Zmq.ZMQ_REQ_RELAXED, true);
            req.setOption(io.zerokt.Zmq.ZMQ_REQ_CORRELATE, true);
            req.connect(endpoint);
            req.setReceiveTimeout(500);
            String reply = null;
            for (int attempt = 0; attempt < 40 && reply == null; attempt++) {
                req.send("Hello");
                List<byte[]> request = peer.recv(500);
                if (request == null) continue;
                assertEquals("Hello", new String(request.get(0), StandardCharsets.UTF_8));
                peer.send(frames("World"), 5000);
                try {
                    reply = req.recvStr();
                } catch (ZmqException e) {
                    assertEquals(ZmqError.EAGAIN, e.getError());
                }
            }
            assertEquals("World", reply);
        }
    }

    @Test
    void aJeroMqPushFeedsABlockingPullAndAFuturePull() throws Exception {
        try (Context ctx = TestContexts.testContext();
             BlockingSocket pull = new BlockingSocket(ctx, SocketType.PULL);
             JeroMqPeer peer = JeroMqPeer.start()) {
            pull.setOption(io.zerokt.Zmq.ZMQ_HANDSHAKE_IVL, 2000); // see zeromq/jeromq#1022 above
            pull.bind(Endpoints.INSTANCE.tcpWildcard());
            peer.socket("PUSH");
            peer.connect(pull.getLastEndpoint());
            for (int i = 0; i < 100; i++) peer.send(frames("m" + i, "part"), 5000);
            for (int i = 0; i < 100; i++) {
                assertEquals("m" + i, pull.recvStr());
                assertTrue(pull.hasReceiveMore());
                assertEquals("part", pull.recvStr());
            }
        }
    }

    @Test
    void aFutureDealerTalksToAJeroMqRouter() throws Exception {
        try (Context ctx = TestContexts.testContext();
             AsyncSocket dealer = new AsyncSocket(ctx, SocketType.DEALER);
             JeroMqPeer peer = JeroMqPeer.start()) {
            peer.socket("ROUTER");
            String endpoint = peer.bind(Endpoints.INSTANCE.tcpWildcard());
            dealer.setOption(io.zerokt.Zmq.ZMQ_HANDSHAKE_IVL, 2000); // see zeromq/jeromq#1022 above
            dealer.connect(endpoint);
            dealer.send("ping").get(10, java.util.concurrent.TimeUnit.SECONDS);
            List<byte[]> got = null;
            for (int i = 0; i < 40 && got == null; i++) {
                got = peer.recv(500);
                if (got == null) dealer.send("ping").get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertNotNull(got, "the JeroMQ router never got a ping");
            assertEquals("ping", new String(got.get(1), StandardCharsets.UTF_8));
            peer.send(List.of(got.get(0), "pong".getBytes(StandardCharsets.UTF_8)), 5000);
            assertEquals("pong", dealer.recvStr().get(10, java.util.concurrent.TimeUnit.SECONDS));
        }
    }
}
