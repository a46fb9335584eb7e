package io.zerokt.examples.java;

// quick-start:begin
import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.ZeroKt;
import io.zerokt.java.BlockingSocket;

/** Hello world: a REP server on a thread of its own answers a REQ client's requests. */
public final class HelloWorld {
    public static void main(String[] args) throws Exception {
        try (Context ctx = ZeroKt.context();
             BlockingSocket server = new BlockingSocket(ctx, SocketType.REP);
             BlockingSocket client = new BlockingSocket(ctx, SocketType.REQ)) {
            server.bind("tcp://127.0.0.1:*");               // any free port
            Thread replier = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    String request = server.recvStr();      // blocks; Thread.interrupt() ends it with EINTR
                    server.send(request + ", World");
                }
            });
            replier.start();

            client.connect(server.getLastEndpoint());
            for (int i = 0; i < 3; i++) {
                client.send("Hello " + i);
                System.out.println(client.recvStr());       // Hello 0, World ...
            }
            replier.join();
        }                                                   // closing the context closes every socket
    }
}
// quick-start:end
