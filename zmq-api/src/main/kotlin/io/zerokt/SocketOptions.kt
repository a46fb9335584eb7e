@file:JvmName("Zmq")

package io.zerokt

// libzmq's numeric socket option ids (zmq.h), so that code ported from libzmq or JeroMQ can keep using them with
// Socket.setOption. Java sees them as Zmq.ZMQ_SNDHWM and so on.

/** `ZMQ_AFFINITY` (accepted for compatibility; ZeroKt has no per-socket thread affinity). */
public const val ZMQ_AFFINITY: Int = 4

/** `ZMQ_ROUTING_ID` (formerly `ZMQ_IDENTITY`): this socket's routing id, 1 to 255 bytes, not starting with 0. */
public const val ZMQ_ROUTING_ID: Int = 5

/** `ZMQ_IDENTITY`: the old name of [ZMQ_ROUTING_ID]. */
public const val ZMQ_IDENTITY: Int = ZMQ_ROUTING_ID

/** `ZMQ_SUBSCRIBE`: add a topic prefix filter (SUB). */
public const val ZMQ_SUBSCRIBE: Int = 6

/** `ZMQ_UNSUBSCRIBE`: remove a topic prefix filter (SUB). */
public const val ZMQ_UNSUBSCRIBE: Int = 7

/** `ZMQ_SNDBUF`: the kernel send buffer size in bytes, 0 = OS default. */
public const val ZMQ_SNDBUF: Int = 11

/** `ZMQ_RCVBUF`: the kernel receive buffer size in bytes, 0 = OS default. */
public const val ZMQ_RCVBUF: Int = 12

/** `ZMQ_RCVMORE` (read-only): whether more frames follow; always 0 here, as [Message] holds all frames. */
public const val ZMQ_RCVMORE: Int = 13

/** `ZMQ_EVENTS` (read-only): `ZMQ_POLLIN` (1) | `ZMQ_POLLOUT` (2) readiness. */
public const val ZMQ_EVENTS: Int = 15

/** `ZMQ_TYPE` (read-only): the socket type id. */
public const val ZMQ_TYPE: Int = 16

/** `ZMQ_LINGER`: ms that close waits for pending messages to go out; -1 = until sent, 0 = drop at once. */
public const val ZMQ_LINGER: Int = 17

/** `ZMQ_RECONNECT_IVL`: ms before the first reconnect attempt; -1 = never reconnect. */
public const val ZMQ_RECONNECT_IVL: Int = 18

/** `ZMQ_BACKLOG`: the listen backlog. */
public const val ZMQ_BACKLOG: Int = 19

/** `ZMQ_RECONNECT_IVL_MAX`: upper bound in ms of the exponential reconnect backoff; 0 = no backoff. */
public const val ZMQ_RECONNECT_IVL_MAX: Int = 21

/** `ZMQ_MAXMSGSIZE`: the largest frame accepted from a peer, in bytes (Long); -1 = no limit. */
public const val ZMQ_MAXMSGSIZE: Int = 22

/** `ZMQ_SNDHWM`: the send high-water mark, in messages per peer; 0 = no limit. */
public const val ZMQ_SNDHWM: Int = 23

/** `ZMQ_RCVHWM`: the receive high-water mark, in messages per peer; 0 = no limit. */
public const val ZMQ_RCVHWM: Int = 24

/** `ZMQ_RCVTIMEO`: ms a receive waits before failing with EAGAIN; -1 = forever. */
public const val ZMQ_RCVTIMEO: Int = 27

/** `ZMQ_SNDTIMEO`: ms a send waits before failing with EAGAIN; -1 = forever. */
public const val ZMQ_SNDTIMEO: Int = 28

/** `ZMQ_LAST_ENDPOINT` (read-only): the endpoint last bound, with its resolved port. */
public const val ZMQ_LAST_ENDPOINT: Int = 32

/** `ZMQ_ROUTER_MANDATORY`: a ROUTER fails with EHOSTUNREACH for unknown peers instead of dropping. */
public const val ZMQ_ROUTER_MANDATORY: Int = 33

/** `ZMQ_TCP_KEEPALIVE`: -1 = OS default, 0 = off, 1 = on. */
public const val ZMQ_TCP_KEEPALIVE: Int = 34

/** `ZMQ_TCP_KEEPALIVE_CNT`: probes before the connection is dropped; -1 = OS default. */
public const val ZMQ_TCP_KEEPALIVE_CNT: Int = 35

/** `ZMQ_TCP_KEEPALIVE_IDLE`: seconds idle before probing; -1 = OS default. */
public const val ZMQ_TCP_KEEPALIVE_IDLE: Int = 36

/** `ZMQ_TCP_KEEPALIVE_INTVL`: seconds between probes; -1 = OS default. */
public const val ZMQ_TCP_KEEPALIVE_INTVL: Int = 37

/** `ZMQ_IMMEDIATE`: queue messages only to completed connections. */
public const val ZMQ_IMMEDIATE: Int = 39

/** `ZMQ_XPUB_VERBOSE`: an XPUB passes on duplicate subscriptions too. */
public const val ZMQ_XPUB_VERBOSE: Int = 40

/** `ZMQ_IPV6`: enable IPv6 on tcp sockets. */
public const val ZMQ_IPV6: Int = 42

/** `ZMQ_MECHANISM` (read-only): 0 NULL, 1 PLAIN, 2 CURVE. */
public const val ZMQ_MECHANISM: Int = 43

/** `ZMQ_PLAIN_SERVER`. */
public const val ZMQ_PLAIN_SERVER: Int = 44

/** `ZMQ_PLAIN_USERNAME`. */
public const val ZMQ_PLAIN_USERNAME: Int = 45

/** `ZMQ_PLAIN_PASSWORD`. */
public const val ZMQ_PLAIN_PASSWORD: Int = 46

/** `ZMQ_CURVE_SERVER`. */
public const val ZMQ_CURVE_SERVER: Int = 47

/** `ZMQ_CURVE_PUBLICKEY`. */
public const val ZMQ_CURVE_PUBLICKEY: Int = 48

/** `ZMQ_CURVE_SECRETKEY`. */
public const val ZMQ_CURVE_SECRETKEY: Int = 49

/** `ZMQ_CURVE_SERVERKEY`. */
public const val ZMQ_CURVE_SERVERKEY: Int = 50

/** `ZMQ_PROBE_ROUTER`: send an empty message to each new ROUTER peer on connect. */
public const val ZMQ_PROBE_ROUTER: Int = 51

/** `ZMQ_REQ_CORRELATE`: prefix REQ requests with a request id and match replies to it. */
public const val ZMQ_REQ_CORRELATE: Int = 52

/** `ZMQ_REQ_RELAXED`: allow a REQ to send again without waiting for a reply. */
public const val ZMQ_REQ_RELAXED: Int = 53

/** `ZMQ_CONFLATE`: keep only the last message in each queue. */
public const val ZMQ_CONFLATE: Int = 54

/** `ZMQ_ZAP_DOMAIN`. */
public const val ZMQ_ZAP_DOMAIN: Int = 55

/** `ZMQ_ROUTER_HANDOVER`: a new peer with a taken routing id takes it over. */
public const val ZMQ_ROUTER_HANDOVER: Int = 56

/** `ZMQ_TOS`: the IP type-of-service byte. */
public const val ZMQ_TOS: Int = 57

/** `ZMQ_CONNECT_ROUTING_ID`: the routing id the next `connect` gives its peer (ROUTER). */
public const val ZMQ_CONNECT_ROUTING_ID: Int = 61

/** `ZMQ_HANDSHAKE_IVL`: ms a ZMTP handshake may take; 0 = no limit. */
public const val ZMQ_HANDSHAKE_IVL: Int = 66

/** `ZMQ_XPUB_NODROP`: an XPUB blocks (or fails with EAGAIN) instead of dropping when a subscriber is full. */
public const val ZMQ_XPUB_NODROP: Int = 69

/** `ZMQ_XPUB_MANUAL`: subscriptions are managed by the application. */
public const val ZMQ_XPUB_MANUAL: Int = 71

/** `ZMQ_XPUB_WELCOME_MSG`: a message sent to each new subscriber. */
public const val ZMQ_XPUB_WELCOME_MSG: Int = 72

/** `ZMQ_INVERT_MATCHING`: deliver what does NOT match the subscriptions. */
public const val ZMQ_INVERT_MATCHING: Int = 74

/** `ZMQ_HEARTBEAT_IVL`: ms between ZMTP PINGs; 0 = no heartbeats. */
public const val ZMQ_HEARTBEAT_IVL: Int = 75

/** `ZMQ_HEARTBEAT_TTL`: ms the peer should wait for traffic from us (sent in tenths of a second). */
public const val ZMQ_HEARTBEAT_TTL: Int = 76

/** `ZMQ_HEARTBEAT_TIMEOUT`: ms without traffic after a PING before dropping; -1 = the heartbeat interval. */
public const val ZMQ_HEARTBEAT_TIMEOUT: Int = 77

/** `ZMQ_XPUB_VERBOSER`: an XPUB passes on duplicate subscriptions and unsubscriptions. */
public const val ZMQ_XPUB_VERBOSER: Int = 78

/** `ZMQ_CONNECT_TIMEOUT`: ms a tcp connect may take; 0 = the OS default. */
public const val ZMQ_CONNECT_TIMEOUT: Int = 79

/** `ZMQ_ZAP_ENFORCE_DOMAIN`. */
public const val ZMQ_ZAP_ENFORCE_DOMAIN: Int = 93

/** `ZMQ_POLLIN` readiness bit of [ZMQ_EVENTS]. */
public const val ZMQ_POLLIN: Int = 1

/** `ZMQ_POLLOUT` readiness bit of [ZMQ_EVENTS]. */
public const val ZMQ_POLLOUT: Int = 2

// ZeroKt's own option ids. libzmq's ids (socket and context options) are all below 0x1000; ZeroKt uses the range
// 0x5A4B0000..0x5A4BFFFF ("ZK"), so they can never collide with an id libzmq adds later.

/**
 * `ZKT_IO_URING` (socket option, ZeroKt only; no libzmq equivalent): 1 runs this socket's `tcp://` and `ipc://`
 * connections on the io_uring engine (the `zmq-uring` jar, Linux). Where that engine cannot run, the socket uses the
 * default engine and reports [MonitorEventType.ENGINE_FALLBACK]. Applies to binds and connects made after it is set.
 */
public const val ZKT_IO_URING: Int = 0x5A4B_0001

/** `ZKT_IO_URING_TCP_CORK` (socket option, io_uring engine only): 1 corks the tcp socket while a burst of writes is in flight (`TCP_CORK`). */
public const val ZKT_IO_URING_TCP_CORK: Int = 0x5A4B_0002

/**
 * `ZKT_IO_URING_SEND_ZC_THRESHOLD` (socket option, io_uring engine only): writes of at least this many bytes use
 * zero-copy send (`IORING_OP_SEND_ZC`) where the kernel has it; -1 (the default) = never. Not used on tcp connections
 * to the same host (loopback, or the host's own address), where the kernel copies such sends anyway, nor on ipc.
 */
public const val ZKT_IO_URING_SEND_ZC_THRESHOLD: Int = 0x5A4B_0003

/**
 * `ZKT_IO_URING_MULTISHOT` (socket option, io_uring engine only): 1 receives with multishot receives (one
 * submission, many receives) into kernel-selected buffers of its I/O thread's receive buffer group
 * ([ZKT_CTX_IO_URING_BUFFER_RING_SIZE] buffers of [ZKT_CTX_IO_URING_BUFFER_SIZE] bytes, shared by that thread's
 * multishot connections), paused like other receives while the socket's reader is behind; single-shot receives from
 * the same group on kernels without multishot receives.
 */
public const val ZKT_IO_URING_MULTISHOT: Int = 0x5A4B_0004

/**
 * `ZKT_CTX_IO_URING` (context option): the default of [ZKT_IO_URING] for sockets made afterwards (as libzmq's
 * context `ZMQ_IPV6` is the default of the socket's). Default 0.
 */
public const val ZKT_CTX_IO_URING: Int = 0x5A4B_0101

/** `ZKT_CTX_IO_URING_RING_SIZE` (context option): submission queue entries of each io_uring ring; default 4096. */
public const val ZKT_CTX_IO_URING_RING_SIZE: Int = 0x5A4B_0102

/**
 * `ZKT_CTX_IO_URING_BUFFER_RING_SIZE` (context option): buffers in each io_uring I/O thread's receive buffer group, for
 * [ZKT_IO_URING_MULTISHOT] sockets (a power of 2); default 64.
 */
public const val ZKT_CTX_IO_URING_BUFFER_RING_SIZE: Int = 0x5A4B_0103

/** `ZKT_CTX_IO_URING_BUFFER_SIZE` (context option): bytes of each buffer of the receive buffer group; default 65536. */
public const val ZKT_CTX_IO_URING_BUFFER_SIZE: Int = 0x5A4B_0104

/**
 * `ZKT_CTX_IO_URING_DEFER_TASKRUN` (context option): 1 (the default) makes each io_uring ring single-issuer with
 * deferred task running (`IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN`, Netty's default), which moves
 * more messages; 0 runs the kernel's completion work at once, which answered REQ/REP round trips sooner when the I/O
 * threads share their CPUs with the application's (README, io_uring).
 */
public const val ZKT_CTX_IO_URING_DEFER_TASKRUN: Int = 0x5A4B_0105

/**
 * `ZKT_CTX_IO_URING_MULTISHOT` (context option): the default of [ZKT_IO_URING_MULTISHOT] for sockets made afterwards,
 * as [ZKT_CTX_IO_URING] is of [ZKT_IO_URING]. Default 0.
 */
public const val ZKT_CTX_IO_URING_MULTISHOT: Int = 0x5A4B_0106
