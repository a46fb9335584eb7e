#!/bin/bash
# CURVE PUSH/PULL throughput of libzmq (C peer, thr.c), JeroMQ 0.6.0 (JeroThr.java) and ZeroKt (bin/zkt local-thr /
# remote-thr) in one run, tcp loopback, receiver pinned to CPU 0 and sender to CPU 1. Needs gcc, libzmq3-dev,
# python3-zmq (for the keys) and JeroMQ + jnacl in ~/.m2. JeroMQ's 64 KiB run sends a tenth of the messages (its
# CURVE is too slow for the full count within the 200 s limit per step).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
ZKT="$here/../../bin/zkt"
M2="$HOME/.m2/repository"
JERO="$M2/org/zeromq/jeromq/0.6.0/jeromq-0.6.0.jar:$M2/eu/neilalexander/jnacl/1.0.0/jnacl-1.0.0.jar"
work="$(mktemp -d)"
gcc -O2 -o "$work/thr" "$here/thr.c" -lzmq
"$ZKT" --version > /dev/null   # builds the tool when needed
export ZKT_NO_BUILD=1
read SP SS < <(/usr/bin/python3 -c "import zmq; p,s=zmq.curve_keypair(); print(p.decode(), s.decode())")
read CP CS < <(/usr/bin/python3 -c "import zmq; p,s=zmq.curve_keypair(); print(p.decode(), s.decode())")
for spec in "64 1000000 1000000" "65536 20000 2000"; do
  set -- $spec; size=$1 count=$2 jcount=$3
  port=$((20000 + RANDOM % 10000))
  echo "== size $size B"
  timeout 200 taskset -c 0 "$work/thr" local tcp://127.0.0.1:$port $size $count "$SS" > "$work/l.out" & lp=$!; sleep 0.5
  timeout 200 taskset -c 1 "$work/thr" remote tcp://127.0.0.1:$port $size $count "$SP" "$CP" "$CS"; wait $lp
  echo "libzmq ($count msgs): $(cat "$work/l.out")"
  port=$((port + 1))
  timeout 200 taskset -c 0 java -cp "$JERO" "$here/JeroThr.java" local tcp://127.0.0.1:$port $size $jcount "$SS" > "$work/l.out" & lp=$!; sleep 3
  timeout 200 taskset -c 1 java -cp "$JERO" "$here/JeroThr.java" remote tcp://127.0.0.1:$port $size $jcount "$SP" "$CP" "$CS"; wait $lp
  echo "jeromq ($jcount msgs): $(cat "$work/l.out")"
  port=$((port + 1))
  timeout 200 taskset -c 0 "$ZKT" local-thr tcp://127.0.0.1:$port $size $count --curve-server --curve-secret-key "$SS" > "$work/l.out" & lp=$!; sleep 3
  timeout 200 taskset -c 1 "$ZKT" remote-thr tcp://127.0.0.1:$port $size $count --curve-server-key "$SP" --curve-public-key "$CP" --curve-secret-key "$CS"; wait $lp
  echo "zerokt ($count msgs): $(grep 'msg/s' "$work/l.out")"
done
rm -rf "$work"
