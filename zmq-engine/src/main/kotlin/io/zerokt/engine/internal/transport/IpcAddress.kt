package io.zerokt.engine.internal.transport

import io.zerokt.ZmqError
import io.zerokt.ZmqException
import java.nio.file.Files

/** Paths of `ipc://` endpoints: a file-system path, `*` for a fresh one, or `@name` for a Linux abstract name. */
internal object IpcAddress {
    /** The path to bind for [address]; `*` picks a fresh path in a new temp directory (libzmq does the same). */
    fun resolveBind(address: String): String = when {
        address == "*" -> Files.createTempDirectory("zkt-ipc").resolve("socket").toString()
        else -> check(address)
    }

    /** True for `@name`, a Linux abstract name (served by [AbstractIpcTransport]). */
    fun isAbstract(address: String): Boolean = address.startsWith("@")

    /** The path to connect to for [address]. */
    fun resolveConnect(address: String): String = check(address)

    private fun check(address: String): String {
        if (address.isEmpty()) throw ZmqException(ZmqError.EINVAL, "empty ipc path")
        if (isAbstract(address) && address.length == 1) throw ZmqException(ZmqError.EINVAL, "empty ipc abstract name")
        if (address.toByteArray().size > 107) throw ZmqException(ZmqError.EINVAL, "ipc path too long (max 107 bytes): $address")
        return address
    }
}
