package io.zerokt

/**
 * The kinds of ZeroMQ socket, with libzmq's numeric ids (`ZMQ_PAIR` = 0 …) and the names that ZMTP's
 * `Socket-Type` property carries on the wire.
 *
 * [isCompatibleWith] is RFC 23's table of which socket types may talk to each other; a connection between
 * incompatible types is dropped during the handshake.
 */
public enum class SocketType(
    /** libzmq's numeric id for this type (`zmq_socket(ctx, id)`). */
    public val id: Int,
    /** True for the draft types of RFC 41/48/49/51/52 (not yet implemented by ZeroKt's core). */
    public val isDraft: Boolean = false,
) {
    /** Exclusive pair (RFC 31). */
    PAIR(0),

    /** Publisher (RFC 29). */
    PUB(1),

    /** Subscriber (RFC 29). */
    SUB(2),

    /** Request, the client side of RFC 28. */
    REQ(3),

    /** Reply, the service side of RFC 28. */
    REP(4),

    /** Asynchronous request/reply client (RFC 28). */
    DEALER(5),

    /** Asynchronous request/reply router, addressing peers by routing id (RFC 28). */
    ROUTER(6),

    /** Pipeline receiver (RFC 30). */
    PULL(7),

    /** Pipeline sender (RFC 30). */
    PUSH(8),

    /** Publisher that sees its subscribers' subscriptions (RFC 29). */
    XPUB(9),

    /** Subscriber that sends subscriptions as messages (RFC 29). */
    XSUB(10),

    /** Draft thread-safe server (RFC 41). */
    SERVER(12, true),

    /** Draft thread-safe client (RFC 41). */
    CLIENT(13, true),

    /** Draft group publisher (RFC 48). */
    RADIO(14, true),

    /** Draft group subscriber (RFC 48). */
    DISH(15, true),

    /** Draft pipeline receiver (RFC 49). */
    GATHER(16, true),

    /** Draft pipeline sender (RFC 49). */
    SCATTER(17, true),

    /** Draft peer-to-peer socket (RFC 51). */
    PEER(19, true),

    /** Draft thread-safe pair (RFC 52). */
    CHANNEL(20, true),
    ;

    /** The name carried in the ZMTP `Socket-Type` metadata property. */
    public val zmtpName: String get() = name

    /** True when a socket of this type may connect to a peer of [other]'s type (RFC 23, section "Socket types"). */
    public fun isCompatibleWith(other: SocketType): Boolean = other in peersOf(this)

    public companion object {
        /** The type whose [zmtpName] is [name], or null if there is none. */
        @JvmStatic
        public fun fromZmtpName(name: String): SocketType? = entries.firstOrNull { it.zmtpName == name }

        /** The type whose libzmq id is [id], or null if there is none. */
        @JvmStatic
        public fun fromId(id: Int): SocketType? = entries.firstOrNull { it.id == id }

        private fun peersOf(type: SocketType): Set<SocketType> = when (type) {
            PAIR -> setOf(PAIR)
            PUB, XPUB -> setOf(SUB, XSUB)
            SUB, XSUB -> setOf(PUB, XPUB)
            REQ -> setOf(REP, ROUTER)
            REP -> setOf(REQ, DEALER)
            DEALER -> setOf(REP, DEALER, ROUTER)
            ROUTER -> setOf(REQ, DEALER, ROUTER)
            PULL -> setOf(PUSH)
            PUSH -> setOf(PULL)
            SERVER -> setOf(CLIENT)
            CLIENT -> setOf(SERVER)
            RADIO -> setOf(DISH)
            DISH -> setOf(RADIO)
            GATHER -> setOf(SCATTER)
            SCATTER -> setOf(GATHER)
            PEER -> setOf(PEER)
            CHANNEL -> setOf(CHANNEL)
        }
    }
}
