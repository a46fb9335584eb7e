package io.zerokt.engine.spi

import io.zerokt.engine.internal.transport.IpcAddress
import io.zerokt.engine.internal.transport.TcpAddress

/** The engine's endpoint-address rules, shared with other stream engines so that every engine reads endpoints alike. */
@ZeroKtInternalApi
public object StreamAddresses {
    /** A `tcp://` bind address as host and port (`*` host = every interface; port 0 = ephemeral). Throws `EINVAL`. */
    public fun tcpBind(address: String, ipv6: Boolean): Pair<String, Int> = TcpAddress.parseBind(address, ipv6)

    /** A `tcp://` connect address as host and port. Throws `EINVAL`. */
    public fun tcpConnect(address: String): Pair<String, Int> = TcpAddress.parseConnect(address)

    /** `host:port`, with an IPv6 literal in brackets. */
    public fun tcpFormat(host: String, port: Int): String = TcpAddress.format(host, port)

    /** The path to bind for an `ipc://` address (`*` = a fresh file, `@name` = a Linux abstract name). Throws `EINVAL`. */
    public fun ipcBind(address: String): String = IpcAddress.resolveBind(address)

    /** The socket file to connect to for an `ipc://` address. */
    public fun ipcConnect(address: String): String = IpcAddress.resolveConnect(address)

    /** True when an ipc path from [ipcBind]/[ipcConnect] is a Linux abstract name (`@name`), with no file behind it. */
    public fun ipcIsAbstract(path: String): Boolean = IpcAddress.isAbstract(path)

    /** The `sun_path` to give the kernel (and Netty's `DomainSocketAddress`): `@name` becomes `\u0000name` (unix(7)). */
    public fun ipcSocketPath(path: String): String = if (ipcIsAbstract(path)) "\u0000" + path.substring(1) else path
}
