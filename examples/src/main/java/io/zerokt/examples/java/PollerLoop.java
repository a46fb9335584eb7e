package io.zerokt.examples.java;

import io.zerokt.Context;
import io.zerokt.SocketType;
import io.zerokt.ZeroKt;
import io.zerokt.java.BlockingSocket;
import io.zerokt.java.Poller;

import java.util.ArrayList;
import java.util.List;

/**
 * A poller loop (zmq_poll): one thread serves two sockets, a PULL of tasks and a SUB of control messages, and
 * handles whichever is ready, until the control message "stop".
 */
public final class PollerLoop {
    /** Runs the loop; returns what it handled, in order. */
    public static List<String> run() {
        List<String> handled = new ArrayList<>();
        try (Context ctx = ZeroKt.context();
             BlockingSocket tasks = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket control = new BlockingSocket(ctx, SocketType.PULL);
             BlockingSocket taskSender = new BlockingSocket(ctx, SocketType.PUSH);
             BlockingSocket controlSender = new BlockingSocket(ctx, SocketType.PUSH)) {
            tasks.bind("inproc://tasks");
            control.bind("inproc://control");
            taskSender.connect("inproc://tasks");
            controlSender.connect("inproc://control");
            for (int i = 0; i < 3; i++) taskSender.send("task " + i);
            controlSender.send("stop");

            Poller poller = new Poller();
            int taskIndex = poller.register(tasks, Poller.POLLIN);
            int controlIndex = poller.register(control, Poller.POLLIN);
            boolean running = true;
            while (running) {
                poller.poll(1000);
                // Tasks first, so that everything queued before "stop" is handled.
                if (poller.isReadable(taskIndex)) {
                    handled.add(tasks.recvStr());
                } else if (poller.isReadable(controlIndex)) {
                    String command = control.recvStr();
                    handled.add("control: " + command);
                    running = !command.equals("stop");
                }
            }
        }
        return handled;
    }

    public static void main(String[] args) {
        run().forEach(System.out::println);
    }
}
