package io.zerokt.engine.patterns

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.zerokt.*

/**
 * Socket options by libzmq's numeric ids (zmq_setsockopt(3), zmq_getsockopt(3)): values round-trip, bad values and
 * unknown ids fail with EINVAL. No transport is involved.
 */
class SocketOptionsTest : FunSpec({
    timeout = 30_000

    test("an integer option set by its numeric id SHALL read back the same through getOption") {
        withZmqContext { ctx ->
            val s = ctx.open(SocketType.ROUTER)
            val values = mapOf(
                ZMQ_SNDHWM to 7, ZMQ_RCVHWM to 0, ZMQ_SNDTIMEO to 250, ZMQ_RCVTIMEO to -1, ZMQ_LINGER to 1234,
                ZMQ_RECONNECT_IVL to 50, ZMQ_RECONNECT_IVL_MAX to 800, ZMQ_HANDSHAKE_IVL to 0, ZMQ_CONNECT_TIMEOUT to 99,
                ZMQ_HEARTBEAT_IVL to 1000, ZMQ_HEARTBEAT_TTL to 3000, ZMQ_HEARTBEAT_TIMEOUT to 500,
                ZMQ_ROUTER_MANDATORY to 1, ZMQ_ROUTER_HANDOVER to 1, ZMQ_PROBE_ROUTER to 1, ZMQ_IMMEDIATE to 1,
                ZMQ_CONFLATE to 1, ZMQ_IPV6 to 1, ZMQ_TCP_KEEPALIVE to 1, ZMQ_TOS to 8, ZMQ_BACKLOG to 10,
            )
            for ((id, v) in values) s.setOption(id, v)
            for ((id, v) in values) s.getOption(id) shouldBe v
            s.sendHighWaterMark shouldBe 7
            s.routerMandatory shouldBe true
        }
    }

    test("64-bit and binary options SHALL round-trip, and the read-only ones SHALL read") {
        withZmqContext { ctx ->
            val s = ctx.open(SocketType.DEALER)
            s.setOption(ZMQ_MAXMSGSIZE, 1L shl 33)
            s.getOption(ZMQ_MAXMSGSIZE) shouldBe (1L shl 33)
            s.setOption(ZMQ_ROUTING_ID, "me".encodeToByteArray())
            (s.getOption(ZMQ_ROUTING_ID) as ByteArray).decodeToString() shouldBe "me"
            s.getOption(ZMQ_TYPE) shouldBe SocketType.DEALER.id
            s.getOption(ZMQ_LAST_ENDPOINT) shouldBe ""
            val endpoint = s.bindFresh(Transport.TCP)
            s.getOption(ZMQ_LAST_ENDPOINT) shouldBe endpoint
            s.setOption(ZMQ_SNDHWM, 42L)
            s.getOption(ZMQ_SNDHWM) shouldBe 42
        }
    }

    test("a bad value SHALL fail with EINVAL and leave the option as it was") {
        withZmqContext { ctx ->
            val s = ctx.open(SocketType.ROUTER)
            val bad: List<Pair<Int, Any>> = listOf(
                ZMQ_SNDHWM to -1, ZMQ_RCVHWM to -5, ZMQ_LINGER to -2, ZMQ_SNDTIMEO to -2, ZMQ_ROUTER_MANDATORY to 2,
                ZMQ_CONFLATE to -1, ZMQ_TOS to 256, ZMQ_TCP_KEEPALIVE to 2, ZMQ_MAXMSGSIZE to -2L,
                ZMQ_ROUTING_ID to byteArrayOf(0, 1, 2), ZMQ_ROUTING_ID to ByteArray(256) { 1 },
                ZMQ_SNDHWM to (1L shl 40),
            )
            for ((id, v) in bad) {
                val before = s.getOption(id)
                val e = shouldThrow<ZmqException> {
                    when (v) {
                        is Int -> s.setOption(id, v)
                        is Long -> s.setOption(id, v)
                        is ByteArray -> s.setOption(id, v)
                    }
                }
                e.error shouldBe ZmqError.EINVAL
                if (before is ByteArray?) s.getOption(id) shouldBe before else s.getOption(id) shouldBe before
            }
        }
    }

    test("an unknown option id SHALL fail with EINVAL, to set and to read, and so SHALL setting a read-only one") {
        withZmqContext { ctx ->
            val s = ctx.open(SocketType.PAIR)
            shouldThrow<ZmqException> { s.setOption(9999, 1) }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { s.setOption(9999, "x".encodeToByteArray()) }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { s.getOption(9999) }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { s.setOption(ZMQ_TYPE, 1) }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { s.setOption(ZMQ_LAST_ENDPOINT, "tcp://x:1") }.error shouldBe ZmqError.EINVAL
        }
    }

    test("ZMQ_SUBSCRIBE on a socket that has no subscriptions SHALL fail with EINVAL") {
        withZmqContext { ctx ->
            shouldThrow<ZmqException> { ctx.open(SocketType.PUSH).subscribe("x") }.error shouldBe ZmqError.EINVAL
            shouldThrow<ZmqException> { ctx.open(SocketType.PUB).subscribe("x") }.error shouldBe ZmqError.EINVAL
        }
    }
})
