package io.zerokt.examples.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.ZeroKt;
import io.zerokt.java.AsyncSocket;
import io.zerokt.java.BlockingSocket;

import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous client: a DEALER whose sends and receives are CompletableFutures fires several requests without
 * waiting, then combines the replies of a blocking echo server.
 */
public final class AsyncClient {
    /** Sends [requests] requests at once and returns the replies joined by spaces. */
    public static String run(int requests) throws Exception {
        try (Context ctx = ZeroKt.context();
             BlockingSocket server = new BlockingSocket(ctx, SocketType.ROUTER);
             AsyncSocket client = new AsyncSocket(ctx, SocketType.DEALER)) {
            server.bind("tcp://127.0.0.1:*");
            Thread echo = new Thread(() -> {
                for (int i = 0; i < requests; i++) {
                    byte[] peer = server.recv();          // ROUTER: the client's routing id first
                    String body = server.recvStr();
                    server.sendMore(peer);
                    server.send(body.toUpperCase());
                }
            });
            echo.start();

            client.connect(server.getLastEndpoint());
            CompletableFuture<String> all = CompletableFuture.completedFuture("");
            for (int i = 0; i < requests; i++) client.send("reply" + i);
            for (int i = 0; i < requests; i++) {
                CompletableFuture<String> reply = client.recvStr();
                all = all.thenCombine(reply, (a, b) -> a.isEmpty() ? b : a + " " + b);
            }
            String result = all.get();
            echo.join();
            return result;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(3));
    }
}
