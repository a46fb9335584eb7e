package io.zerokt

import java.util.TreeMap

/**
 * The properties of the connection a message arrived on, as libzmq's `zmq_msg_gets` reads them: `User-Id` (from the
 * ZAP handler), `Peer-Address` (the peer's IP address), `Socket-Type` and the other properties the peer sent in its
 * handshake, and the metadata of the ZAP reply. Names compare ignoring case.
 *
 * An engine makes one per connection and every message received on it refers to the same object, so reading
 * metadata costs one reference per message.
 */
public class MessageMetadata(properties: Map<String, String>) {
    private val map = TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER).apply { putAll(properties) }

    /** The property [name], or null. */
    public operator fun get(name: String): String? = map[name]

    /** Every property name. */
    public val names: Set<String> get() = map.keys

    /** The User-Id the ZAP handler gave the peer (PLAIN: the user name with czmq's/JeroMQ's authenticators), or null. */
    public val userId: String? get() = map[USER_ID]

    /** The peer's address (IP for tcp), or null. */
    public val peerAddress: String? get() = map[PEER_ADDRESS]

    override fun toString(): String = "MessageMetadata(${map.keys})"

    public companion object {
        /** `User-Id`. */
        public const val USER_ID: String = "User-Id"

        /** `Peer-Address`. */
        public const val PEER_ADDRESS: String = "Peer-Address"
    }
}
