/*
 * zmq_perf: libzmq's four perf tools (perf/local_thr, remote_thr, local_lat, remote_lat) in one program, written
 * for ZeroKt's cross-implementation comparison against Debian's libzmq3-dev. Same arguments, same output lines.
 *
 *   zmq_perf local_thr  [--warmup N] BIND    SIZE COUNT       PULL: receives N untimed, then times COUNT
 *   zmq_perf remote_thr [--hold]     CONNECT SIZE COUNT       PUSH: sends COUNT (give it N + COUNT)
 *   zmq_perf local_lat               BIND    SIZE ROUNDTRIPS  REP: echoes ROUNDTRIPS requests
 *   zmq_perf remote_lat [--warmup N] CONNECT SIZE ROUNDTRIPS  REQ: N untimed round trips, then times ROUNDTRIPS
 *
 * --hold keeps the sender's socket open after its last send until standard input reaches end of file: a libzmq
 * sender that closes right after its last send over ipc can lose the tail of the stream, so the comparison closes
 * the sender's stdin only once the receiver has reported.
 *
 * Build: gcc -O2 -o zmq_perf zmq_perf.c -lzmq
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static void die(const char *what) {
    fprintf(stderr, "zmq_perf: error: %s: %s\n", what, zmq_strerror(zmq_errno()));
    exit(1);
}

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void usage(void) {
    fprintf(stderr,
            "usage: zmq_perf local_thr [--warmup N] <bind-to> <message-size> <message-count>\n"
            "       zmq_perf remote_thr [--hold] <connect-to> <message-size> <message-count>\n"
            "       zmq_perf local_lat <bind-to> <message-size> <roundtrip-count>\n"
            "       zmq_perf remote_lat [--warmup N] <connect-to> <message-size> <roundtrip-count>\n");
    exit(2);
}

/* Receives one message on socket and checks that its size is size. */
static void recv_checked(void *socket, zmq_msg_t *msg, size_t size) {
    if (zmq_msg_recv(msg, socket, 0) < 0) die("zmq_msg_recv");
    if (zmq_msg_size(msg) != size) {
        fprintf(stderr, "zmq_perf: error: message of incorrect size received (%zu bytes, expected %zu)\n",
                zmq_msg_size(msg), size);
        exit(1);
    }
}

static void local_thr(void *ctx, const char *endpoint, size_t size, long count, long warmup) {
    void *s = zmq_socket(ctx, ZMQ_PULL);
    if (!s || zmq_bind(s, endpoint) != 0) die("bind");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (long i = 0; i < warmup; i++) recv_checked(s, &msg, size);
    recv_checked(s, &msg, size);
    long long start = now_us();
    for (long i = 1; i < count; i++) recv_checked(s, &msg, size);
    long long elapsed = now_us() - start;
    if (elapsed == 0) elapsed = 1;
    zmq_msg_close(&msg);
    unsigned long throughput = (unsigned long) ((double) count / (double) elapsed * 1000000);
    double megabits = (double) (throughput * size * 8) / 1000000;
    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", (int) count);
    printf("mean throughput: %d [msg/s]\n", (int) throughput);
    printf("mean throughput: %.3f [Mb/s]\n", megabits);
    fflush(stdout);
    zmq_close(s);
}

static void remote_thr(void *ctx, const char *endpoint, size_t size, long count, int hold) {
    void *s = zmq_socket(ctx, ZMQ_PUSH);
    if (!s || zmq_connect(s, endpoint) != 0) die("connect");
    for (long i = 0; i < count; i++) {
        zmq_msg_t msg;
        if (zmq_msg_init_size(&msg, size) != 0) die("zmq_msg_init_size");
        if (size > 0) memset(zmq_msg_data(&msg), 0, size);
        if (zmq_msg_send(&msg, s, 0) < 0) die("zmq_msg_send");
    }
    if (hold) {
        char buf[256];
        while (read(0, buf, sizeof buf) > 0) {
        }
    }
    zmq_close(s);
}

static void local_lat(void *ctx, const char *endpoint, size_t size, long count) {
    void *s = zmq_socket(ctx, ZMQ_REP);
    if (!s || zmq_bind(s, endpoint) != 0) die("bind");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (long i = 0; i < count; i++) {
        recv_checked(s, &msg, size);
        if (zmq_msg_send(&msg, s, 0) < 0) die("zmq_msg_send");
    }
    zmq_msg_close(&msg);
    zmq_close(s);
}

static void round_trip(void *s, zmq_msg_t *msg, size_t size) {
    if (zmq_msg_init_size(msg, size) != 0) die("zmq_msg_init_size");
    if (size > 0) memset(zmq_msg_data(msg), 0, size);
    if (zmq_msg_send(msg, s, 0) < 0) die("zmq_msg_send");
    recv_checked(s, msg, size);
}

static void remote_lat(void *ctx, const char *endpoint, size_t size, long count, long warmup) {
    void *s = zmq_socket(ctx, ZMQ_REQ);
    if (!s || zmq_connect(s, endpoint) != 0) die("connect");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (long i = 0; i < warmup; i++) round_trip(s, &msg, size);
    long long start = now_us();
    for (long i = 0; i < count; i++) round_trip(s, &msg, size);
    long long elapsed = now_us() - start;
    zmq_msg_close(&msg);
    double latency = (double) elapsed / (count * 2);
    printf("message size: %d [B]\n", (int) size);
    printf("roundtrip count: %d\n", (int) count);
    printf("average latency: %.3f [us]\n", latency);
    fflush(stdout);
    zmq_close(s);
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    const char *mode = argv[1];
    long warmup = 0;
    int hold = 0;
    int i = 2;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
            warmup = atol(argv[++i]);
        } else if (strcmp(argv[i], "--hold") == 0) {
            hold = 1;
        } else {
            usage();
        }
    }
    if (argc - i != 3) usage();
    const char *endpoint = argv[i];
    long size = atol(argv[i + 1]);
    long count = atol(argv[i + 2]);
    if (size < 0 || count < 1 || warmup < 0) usage();

    void *ctx = zmq_ctx_new();
    if (!ctx) die("zmq_ctx_new");
    if (strcmp(mode, "local_thr") == 0) {
        local_thr(ctx, endpoint, (size_t) size, count, warmup);
    } else if (strcmp(mode, "remote_thr") == 0) {
        remote_thr(ctx, endpoint, (size_t) size, count, hold);
    } else if (strcmp(mode, "local_lat") == 0) {
        local_lat(ctx, endpoint, (size_t) size, count);
    } else if (strcmp(mode, "remote_lat") == 0) {
        remote_lat(ctx, endpoint, (size_t) size, count, warmup);
    } else {
        usage();
    }
    zmq_ctx_term(ctx);
    return 0;
}
