package io.zerokt.engine.internal.pattern

import io.zerokt.Frame
import io.zerokt.Message

/**
 * A prefix trie of subscriptions with a count per topic (libzmq's `trie_t`): the same topic subscribed twice
 * needs two removals. [matches] answers whether any subscribed topic is a prefix of a message's first frame.
 *
 * Not thread-safe: the owner guards it.
 */
internal class SubscriptionTrie {
    private class Node {
        var count = 0
        var children: HashMap<Byte, Node>? = null
    }

    private val root = Node()

    /** The number of distinct topics. */
    var size: Int = 0
        private set

    /** Adds one subscription to [topic]; returns true when the topic was not subscribed before. */
    fun add(topic: ByteArray): Boolean {
        var node = root
        for (b in topic) {
            val children = node.children ?: HashMap<Byte, Node>(4).also { node.children = it }
            node = children.getOrPut(b) { Node() }
        }
        node.count++
        if (node.count == 1) size++
        return node.count == 1
    }

    /** Removes one subscription to [topic]; returns true when that was its last one. False if it was not subscribed. */
    fun remove(topic: ByteArray): Boolean {
        val path = ArrayList<Pair<Node, Byte>>(topic.size)
        var node = root
        for (b in topic) {
            val next = node.children?.get(b) ?: return false
            path.add(node to b)
            node = next
        }
        if (node.count == 0) return false
        node.count--
        if (node.count > 0) return false
        size--
        // Prune empty branches.
        for (i in path.indices.reversed()) {
            val (parent, b) = path[i]
            val child = parent.children!![b]!!
            if (child.count == 0 && child.children.isNullOrEmpty()) {
                parent.children!!.remove(b)
            } else {
                break
            }
        }
        return true
    }

    /** True when some subscribed topic is a prefix of [data] (the empty topic matches everything). */
    fun matches(data: Frame): Boolean = matches(data.size) { data[it] }

    /** True when some subscribed topic is a prefix of [message]'s first frame, read in place (no [Frame] made). */
    fun matches(message: Message): Boolean = matches(message.frameSize(0)) { message.byteAt(it) }

    private inline fun matches(size: Int, byteAt: (Int) -> Byte): Boolean {
        var node = root
        if (node.count > 0) return true
        for (i in 0 until size) {
            node = node.children?.get(byteAt(i)) ?: return false
            if (node.count > 0) return true
        }
        return false
    }

    /** True when [topic] itself is subscribed. */
    fun contains(topic: ByteArray): Boolean {
        var node = root
        for (b in topic) node = node.children?.get(b) ?: return false
        return node.count > 0
    }

    /** Every distinct subscribed topic, once each. */
    fun topics(): List<ByteArray> {
        val out = ArrayList<ByteArray>(size)
        fun walk(node: Node, prefix: ByteArray) {
            if (node.count > 0) out.add(prefix)
            node.children?.forEach { (b, child) -> walk(child, prefix + b) }
        }
        walk(root, ByteArray(0))
        return out
    }

    /** Removes everything. */
    fun clear() {
        root.count = 0
        root.children = null
        size = 0
    }
}
