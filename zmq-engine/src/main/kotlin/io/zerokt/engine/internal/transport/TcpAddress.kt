package io.zerokt.engine.internal.transport

import io.zerokt.ZmqError
import io.zerokt.ZmqException

/** Parsing and formatting of the `host:port` part of `tcp://` endpoints, as libzmq reads them. */
internal object TcpAddress {
    /**
     * Parses a bind address: `*` or `0.0.0.0` (every interface), `[::1]`, a host name or address; port `*` or `0`
     * for an ephemeral port.
     */
    fun parseBind(address: String, ipv6: Boolean): Pair<String, Int> {
        val (host, port) = split(address, allowWildcardPort = true)
        val bindHost = when (host) {
            "*" -> if (ipv6) "::" else "0.0.0.0"
            else -> host
        }
        return bindHost to port
    }

    /** Parses a connect address: a host and a concrete port (a `source;` prefix is ignored). */
    fun parseConnect(address: String): Pair<String, Int> {
        val target = address.substringAfter(';')
        val (host, port) = split(target, allowWildcardPort = false)
        if (host == "*") invalid(address, "cannot connect to the wildcard host")
        return host to port
    }

    /** Formats [host] and [port] as an endpoint address, bracketing IPv6 literals. */
    fun format(host: String, port: Int): String = if (host.contains(':')) "[$host]:$port" else "$host:$port"

    private fun split(address: String, allowWildcardPort: Boolean): Pair<String, Int> {
        val colon = address.lastIndexOf(':')
        if (colon <= 0) invalid(address, "expected host:port")
        var host = address.substring(0, colon)
        val portText = address.substring(colon + 1)
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length - 1)
        if (host.isEmpty()) invalid(address, "empty host")
        val port = when {
            portText == "*" && allowWildcardPort -> 0
            else -> portText.toIntOrNull() ?: invalid(address, "bad port '$portText'")
        }
        if (port !in 0..65535 || (port == 0 && !allowWildcardPort)) invalid(address, "port $port out of range")
        return host to port
    }

    private fun invalid(address: String, why: String): Nothing =
        throw ZmqException(ZmqError.EINVAL, "invalid tcp address '$address': $why")
}
