package io.zerokt.testing

import java.io.IOException
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.nio.file.Files
import java.nio.file.Path
import java.util.Comparator
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/**
 * Endpoint strings for tests, one fresh address per call (TESTING.md: bind to port 0 / `tcp://127.0.0.1:*` and read
 * the resolved endpoint; ipc paths live in a fresh temp directory).
 */
object Endpoints {
    private val inprocCounter = AtomicLong()
    private val abstractCounter = AtomicLong()
    private val ipcDirs: MutableSet<Path> = ConcurrentHashMap.newKeySet()

    init {
        Runtime.getRuntime().addShutdownHook(Thread({ ipcDirs.forEach(::deleteQuietly) }, "zkt-ipc-cleanup"))
    }

    /** `tcp://127.0.0.1:*`: bind to it and read the socket's last endpoint for the port that was chosen. */
    @JvmStatic
    fun tcpWildcard(): String = "tcp://127.0.0.1:*"

    /** `tcp://127.0.0.1:PORT` with a port that was free a moment ago (see [Ports.freeTcpPort]) for peers that need one. */
    @JvmStatic
    fun tcpWithFreePort(): String = "tcp://127.0.0.1:${Ports.freeTcpPort()}"

    /**
     * `ipc:///tmp/zkt-XXXX/sock` in a fresh temp directory made for this call, deleted (with whatever is in it) at JVM
     * exit. [name] is the socket file's name. The directory is under `/tmp` when it exists (unix socket paths are
     * limited to 107 bytes), otherwise under `java.io.tmpdir`.
     */
    @JvmStatic
    @JvmOverloads
    fun ipcEndpoint(name: String = "sock"): String = "ipc://" + ipcPath(name)

    /** The file system path behind a fresh [ipcEndpoint] (no `ipc://` prefix). */
    @JvmStatic
    @JvmOverloads
    fun ipcPath(name: String = "sock"): String {
        val tmp = Path.of("/tmp").takeIf { Files.isDirectory(it) } ?: Path.of(System.getProperty("java.io.tmpdir"))
        val dir = Files.createTempDirectory(tmp, "zkt-")
        ipcDirs.add(dir)
        return dir.resolve(name).toString()
    }

    /**
     * `ipc://@zkt-…`: a fresh Linux abstract name (unix(7)), unique across processes, with no file behind it, so
     * nothing needs cleaning up.
     */
    @JvmStatic
    fun ipcAbstractEndpoint(): String = "ipc://@zkt-${ProcessHandle.current().pid()}-${abstractCounter.incrementAndGet()}-${System.nanoTime()}"

    /** A unique `inproc://` endpoint for this JVM: `inproc://PREFIX-N`. */
    @JvmStatic
    @JvmOverloads
    fun inprocEndpoint(prefix: String = "zkt-test"): String = "inproc://$prefix-${inprocCounter.incrementAndGet()}"

    /** Deletes every ipc directory made so far (also done at JVM exit). */
    @JvmStatic
    fun cleanupIpcDirectories() {
        ipcDirs.toList().forEach { deleteQuietly(it); ipcDirs.remove(it) }
    }

    private fun deleteQuietly(dir: Path) {
        try {
            if (!Files.exists(dir)) return
            Files.walk(dir).use { paths -> paths.sorted(Comparator.reverseOrder()).forEach { Files.deleteIfExists(it) } }
        } catch (_: IOException) {
            // best effort at exit
        }
    }
}

/** Free TCP ports for peers that cannot bind to port 0 themselves. */
object Ports {
    /**
     * A TCP port on 127.0.0.1 that was free when this returned, chosen below the kernel's ephemeral range
     * (`ip_local_port_range`). Another process may take it before the caller binds it; prefer binding to port 0 where
     * the peer allows it. Outside the ephemeral range, a socket that connects before its peer binds cannot be given
     * the peer's port for itself (a TCP self-connect), which would keep the peer from binding.
     */
    @JvmStatic
    fun freeTcpPort(): Int {
        val low = ephemeralLow()
        repeat(200) {
            val port = java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, maxOf(low, 10_001))
            if (isFree(port)) return port
        }
        return ServerSocket().use { s ->
            s.bind(InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            s.localPort
        }
    }

    private fun isFree(port: Int): Boolean = try {
        ServerSocket().use { s ->
            s.reuseAddress = false
            s.bind(InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            true
        }
    } catch (_: IOException) {
        false
    }

    /** The first port of the kernel's ephemeral range (Linux), or 32768 where it cannot be read. */
    private fun ephemeralLow(): Int = try {
        Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split(Regex("\\s+"))[0].toInt()
    } catch (_: Exception) {
        32_768
    }

    /** The port of a `tcp://host:port` endpoint (for example a resolved last endpoint). */
    @JvmStatic
    fun portOf(tcpEndpoint: String): Int {
        require(tcpEndpoint.startsWith("tcp://")) { "not a tcp endpoint: $tcpEndpoint" }
        return tcpEndpoint.substringAfterLast(':').toIntOrNull() ?: throw IllegalArgumentException("no port in $tcpEndpoint")
    }

    /** The host of a `tcp://host:port` endpoint, without IPv6 brackets. */
    @JvmStatic
    fun hostOf(tcpEndpoint: String): String {
        require(tcpEndpoint.startsWith("tcp://")) { "not a tcp endpoint: $tcpEndpoint" }
        return tcpEndpoint.removePrefix("tcp://").substringBeforeLast(':').removePrefix("[").removeSuffix("]")
    }
}
