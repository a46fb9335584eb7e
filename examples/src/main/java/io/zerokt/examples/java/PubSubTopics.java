package io.zerokt.examples.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.ZeroKt;
import io.zerokt.ZmqError;
import io.zerokt.ZmqException;
import io.zerokt.java.BlockingSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * Publish/subscribe with topics: a publisher sends weather and sports updates as two-frame messages (topic, text);
 * a subscriber that only subscribed to "weather" gets only those.
 */
public final class PubSubTopics {
    /** Runs the example and returns the updates the subscriber received. */
    public static List<String> run(int updates) {
        List<String> received = new ArrayList<>();
        try (Context ctx = ZeroKt.context();
             BlockingSocket publisher = new BlockingSocket(ctx, SocketType.PUB);
             BlockingSocket subscriber = new BlockingSocket(ctx, SocketType.SUB)) {
            publisher.bind("tcp://127.0.0.1:*");
            subscriber.subscribe("weather");
            subscriber.connect(publisher.getLastEndpoint());

            // A subscription reaches the publisher a little after connect: until the first update arrives, the
            // publisher repeats a "hello" on the topic (messages for nobody are dropped, as in every ZeroMQ).
            subscriber.setReceiveTimeout(50);
            while (true) {
                publisher.sendMore("weather");
                publisher.send("hello");
                try {
                    subscriber.recvStr();
                    subscriber.recvStr();
                    break;
                } catch (ZmqException e) {
                    if (e.getError() != ZmqError.EAGAIN) throw e;
                }
            }
            // Drain the extra hellos, then publish for real.
            while (subscriber.tryRecvMsg() != null) { }
            for (int i = 0; i < updates; i++) {
                publisher.sendMore("sports");
                publisher.send("score " + i);
                publisher.sendMore("weather");
                publisher.send("sunny " + i);
            }
            subscriber.setReceiveTimeout(5000);
            while (received.size() < updates) {
                String topic = subscriber.recvStr();
                String text = subscriber.recvStr();
                if (!text.equals("hello")) received.add(topic + ": " + text);
            }
        }
        return received;
    }

    public static void main(String[] args) {
        run(5).forEach(System.out::println);
    }
}
