// CURVE PUSH/PULL throughput peer for zmq-security/bench/run.sh (JeroMQ side): local|remote ENDPOINT SIZE COUNT KEYS...
import org.zeromq.*;
public class JeroThr {
  public static void main(String[] a) throws Exception {
    try (ZContext ctx = new ZContext()) {
      int size = Integer.parseInt(a[2]); long count = Long.parseLong(a[3]);
      if (a[0].equals("local")) {
        ZMQ.Socket s = ctx.createSocket(SocketType.PULL);
        if (a.length > 4) { s.setCurveServer(true); s.setCurveSecretKey(a[4].getBytes()); }
        s.bind(a[1]); s.recv(0); long t0 = System.nanoTime();
        for (long i = 1; i < count; i++) s.recv(0);
        double el = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%.0f msg/s %.1f Mb/s%n", (count - 1) / el, (count - 1) / el * size * 8 / 1e6);
      } else {
        ZMQ.Socket s = ctx.createSocket(SocketType.PUSH);
        s.setHandshakeIvl(1000);
        if (a.length > 4) { s.setCurveServerKey(a[4].getBytes()); s.setCurvePublicKey(a[5].getBytes()); s.setCurveSecretKey(a[6].getBytes()); }
        s.connect(a[1]); byte[] buf = new byte[size];
        for (long i = 0; i < count; i++) s.send(buf, 0);
        s.setLinger(-1); s.close();
      }
    }
  }
}
