# ZeroKt test fixture: one libzmq socket driven over stdin/stdout (see PyZmqPeer.kt).
#
# One command per line on stdin, one reply line on stdout: "ok[ DATA]", "timeout" or "err MESSAGE".
#   version                      -> ok LIBZMQ_VERSION PYZMQ_VERSION
#   socket TYPE                  -> ok            (TYPE is a zmq constant name: PUSH, ROUTER, ...)
#   setsockopt NAME int:N        -> ok            (NAME is a zmq constant name without ZMQ_: LINGER, ...)
#   setsockopt NAME hex:HEX      -> ok            (binary / string options as hex bytes)
#   getsockopt NAME              -> ok int:N | ok hex:HEX
#   bind EP                      -> ok LAST_ENDPOINT
#   unbind EP | connect EP | disconnect EP -> ok
#   send TIMEOUT_MS N HEX,HEX... -> ok | timeout  (N frames; an empty frame is an empty field)
#   recv TIMEOUT_MS              -> ok N HEX,HEX... | timeout
#   monitor                      -> ok            (starts the socket monitor)
#   event TIMEOUT_MS             -> ok CODE VALUE ENDPOINT_HEX | timeout
#   auth plain USER:PASS,...     -> ok            (starts zmq.auth's ThreadAuthenticator with these PLAIN users)
#   auth curve any|DIR           -> ok            (... accepting any CURVE key, or the certificates in DIR)
#   auth deny IP                 -> ok            (... refusing this address; call after plain/curve)
#   close [LINGER_MS]            -> ok            (closes the socket; the process stays)
#   quit                         -> ok, then exit
# The process also exits when stdin reaches end of file (the JVM went away).
import binascii
import sys

import zmq
import zmq.auth

ctx = zmq.Context()
sock = None
mon = None
auth = None


def reply(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def need_sock():
    if sock is None:
        raise RuntimeError("no socket: send 'socket TYPE' first")
    return sock


def const(name):
    value = getattr(zmq, name.upper(), None)
    if not isinstance(value, int):
        raise RuntimeError("unknown zmq constant " + name)
    return int(value)


def decode_frames(count, text):
    if count == 0:
        return []
    parts = text.split(",")
    if len(parts) != count:
        raise RuntimeError("expected %d frames, got %d" % (count, len(parts)))
    return [binascii.unhexlify(p) for p in parts]


def encode_frames(frames):
    return "%d %s" % (len(frames), ",".join(binascii.hexlify(f).decode("ascii") for f in frames))


def poll(s, flag, timeout_ms):
    poller = zmq.Poller()
    poller.register(s, flag)
    return bool(poller.poll(timeout_ms))


def handle(line):
    global sock, mon, auth
    cmd, _, arg = line.partition(" ")
    if cmd == "version":
        return "ok %s %s" % (zmq.zmq_version(), zmq.__version__)
    if cmd == "socket":
        if sock is not None:
            raise RuntimeError("this peer already has a socket")
        sock = ctx.socket(const(arg))
        return "ok"
    if cmd == "setsockopt":
        name, _, value = arg.partition(" ")
        kind, _, data = value.partition(":")
        if kind == "int":
            need_sock().setsockopt(const(name), int(data))
        elif kind == "hex":
            need_sock().setsockopt(const(name), binascii.unhexlify(data))
        else:
            raise RuntimeError("bad option value " + value)
        return "ok"
    if cmd == "getsockopt":
        value = need_sock().getsockopt(const(arg))
        if isinstance(value, int):
            return "ok int:%d" % value
        if isinstance(value, str):
            value = value.encode("utf-8")
        return "ok hex:" + binascii.hexlify(value).decode("ascii")
    if cmd == "bind":
        s = need_sock()
        s.bind(arg)
        last = s.getsockopt(zmq.LAST_ENDPOINT)
        if isinstance(last, bytes):
            last = last.decode("utf-8")
        return "ok " + last.rstrip("\0")
    if cmd == "unbind":
        need_sock().unbind(arg)
        return "ok"
    if cmd == "connect":
        need_sock().connect(arg)
        return "ok"
    if cmd == "disconnect":
        need_sock().disconnect(arg)
        return "ok"
    if cmd == "send":
        timeout, _, rest = arg.partition(" ")
        count, _, text = rest.partition(" ")
        frames = decode_frames(int(count), text)
        s = need_sock()
        if not poll(s, zmq.POLLOUT, int(timeout)):
            return "timeout"
        try:
            s.send_multipart(frames, flags=zmq.NOBLOCK, copy=True)
        except zmq.Again:
            return "timeout"
        return "ok"
    if cmd == "recv":
        s = need_sock()
        if not poll(s, zmq.POLLIN, int(arg)):
            return "timeout"
        return "ok " + encode_frames(s.recv_multipart(flags=zmq.NOBLOCK))
    if cmd == "monitor":
        if mon is None:
            mon = need_sock().get_monitor_socket()
        return "ok"
    if cmd == "event":
        if mon is None:
            raise RuntimeError("no monitor: send 'monitor' first")
        if not poll(mon, zmq.POLLIN, int(arg)):
            return "timeout"
        from zmq.utils.monitor import recv_monitor_message
        ev = recv_monitor_message(mon, flags=zmq.NOBLOCK)
        endpoint = ev.get("endpoint", b"")
        if isinstance(endpoint, str):
            endpoint = endpoint.encode("utf-8")
        return "ok %d %d %s" % (int(ev["event"]), int(ev["value"]), binascii.hexlify(endpoint).decode("ascii"))
    if cmd == "auth":
        from zmq.auth.thread import ThreadAuthenticator
        if auth is None:
            auth = ThreadAuthenticator(ctx)
            auth.start()
        kind, _, data = arg.partition(" ")
        if kind == "plain":
            users = dict(pair.split(":", 1) for pair in data.split(","))
            auth.configure_plain(domain="*", passwords=users)
        elif kind == "curve":
            auth.configure_curve(domain="*", location=zmq.auth.CURVE_ALLOW_ANY if data == "any" else data)
        elif kind == "deny":
            auth.deny(data)
        else:
            raise RuntimeError("bad auth command " + arg)
        return "ok"
    if cmd == "close":
        if mon is not None:
            mon.close(linger=0)
            mon = None
        if sock is not None:
            if arg:
                sock.close(linger=int(arg))
            else:
                sock.close()
            sock = None
        return "ok"
    raise RuntimeError("unknown command " + cmd)


def main():
    global sock, mon
    for raw in sys.stdin:
        line = raw.rstrip("\r\n")
        if not line:
            continue
        if line == "quit":
            break
        try:
            reply(handle(line))
        except Exception as e:  # every failure is a reply, never a dead peer
            reply("err %s: %s" % (type(e).__name__, str(e).replace("\n", " ")))
    if mon is not None:
        mon.close(linger=0)
    if sock is not None:
        sock.close(linger=0)
    if auth is not None:
        auth.stop()
    ctx.term()
    reply("ok")


main()
