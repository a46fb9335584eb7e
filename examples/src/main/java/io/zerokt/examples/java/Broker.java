package io.zerokt.examples.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.ZeroKt;
import io.zerokt.ZmqException;
import io.zerokt.java.BlockingSocket;
import io.zerokt.java.Proxies;

import java.util.ArrayList;
import java.util.List;

/**
 * A ROUTER/DEALER request broker: REQ clients connect to the broker's ROUTER frontend, REP workers to its DEALER
 * backend, and the built-in proxy shares the requests among the workers.
 */
public final class Broker {
    /** Runs [clients] clients with one request each against two workers; returns the replies. */
    public static List<String> run(int clients) throws InterruptedException {
        List<String> replies = new ArrayList<>();
        try (Context ctx = ZeroKt.context();
             BlockingSocket frontend = new BlockingSocket(ctx, SocketType.ROUTER);
             BlockingSocket backend = new BlockingSocket(ctx, SocketType.DEALER)) {
            frontend.bind("tcp://127.0.0.1:*");
            backend.bind("tcp://127.0.0.1:*");
            Thread broker = new Thread(() -> {
                try {
                    Proxies.proxy(frontend, backend, null);
                } catch (ZmqException stopped) {
                    // EINTR (interrupted below) or ETERM: the broker is done
                }
            });
            broker.start();

            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String name = "worker-" + w;
                Thread worker = new Thread(() -> {
                    try (BlockingSocket rep = new BlockingSocket(ctx, SocketType.REP)) {
                        rep.connect(backend.getLastEndpoint());
                        while (true) {
                            String request = rep.recvStr();
                            rep.send(request + " done by " + name);
                        }
                    } catch (ZmqException stopped) {
                        // EINTR or ETERM
                    }
                });
                worker.start();
                workers.add(worker);
            }
            for (int c = 0; c < clients; c++) {
                try (BlockingSocket client = new BlockingSocket(ctx, SocketType.REQ)) {
                    client.connect(frontend.getLastEndpoint());
                    client.send("job " + c);
                    replies.add(client.recvStr());
                }
            }
            broker.interrupt();
            for (Thread w : workers) w.interrupt();
            broker.join();
            for (Thread w : workers) w.join();
        }
        return replies;
    }

    public static void main(String[] args) throws InterruptedException {
        run(4).forEach(System.out::println);
    }
}
