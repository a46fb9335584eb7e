package io.zerokt.security

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * A CURVE certificate in the text format czmq's `zcert` and JeroMQ's `ZCert` read and write (ZPL, RFC 4): a
 * `metadata` section of name/value pairs and a `curve` section with `public-key` (and, in the secret file,
 * `secret-key`), keys in Z85:
 *
 * ```
 * metadata
 *     name = "server"
 * curve
 *     public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 *     secret-key = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
 * ```
 *
 * [save] writes the public file at the given path and the secret file beside it with `_secret` appended, as zcert
 * does. [toString] never shows the secret key.
 */
public class Certificate private constructor(
    /** The keys; [CurveKeyPair.secretKey] is meaningless when [hasSecretKey] is false. */
    private val keys: CurveKeyPair?,
    private val publicOnly: ByteArray?,
    /** The `metadata` section. */
    public val metadata: Map<String, String> = emptyMap(),
) {
    /** The public key, 32 bytes. */
    public val publicKey: ByteArray get() = keys?.publicKey ?: publicOnly!!.copyOf()

    /** The public key in Z85. */
    public val publicKeyZ85: String get() = Z85.encode(publicKey)

    /** True when this certificate holds the secret key too. */
    public val hasSecretKey: Boolean get() = keys != null

    /** The key pair; throws IllegalStateException for a public-only certificate. */
    public val keyPair: CurveKeyPair get() = keys ?: throw IllegalStateException("this certificate has no secret key")

    /** Writes the public certificate at [path] and, when there is one, the secret one at `path_secret`. */
    public fun save(path: Path) {
        savePublic(path)
        if (keys != null) saveSecret(path.resolveSibling(path.fileName.toString() + "_secret"))
    }

    /** Writes the public certificate (no secret key) at [path]. */
    public fun savePublic(path: Path) {
        Files.writeString(path, render(secret = false))
    }

    /** Writes the secret certificate (both keys) at [path], readable by its owner only where the file system allows. */
    public fun saveSecret(path: Path) {
        Files.writeString(path, render(secret = true))
        runCatching {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
        }
    }

    private fun render(secret: Boolean): String = buildString {
        append("#   ****  Generated on ").append(Instant.now()).append(" by ZeroKt  ****\n")
        if (secret) {
            append("#   ZeroMQ CURVE **Secret** Certificate\n")
            append("#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n")
        } else {
            append("#   ZeroMQ CURVE Public Certificate\n")
            append("#   Exchange securely, or use a secure mechanism to verify the contents\n")
            append("#   of this file after exchange. Store public certificates in your home\n")
            append("#   directory, in the .curve subdirectory.\n")
        }
        append("\nmetadata\n")
        for ((k, v) in metadata) append("    ").append(k).append(" = \"").append(v.replace("\"", "")).append("\"\n")
        append("curve\n")
        append("    public-key = \"").append(publicKeyZ85).append("\"\n")
        if (secret) append("    secret-key = \"").append(keyPair.secretKeyZ85).append("\"\n")
    }

    override fun toString(): String = "Certificate(public=$publicKeyZ85, metadata=$metadata)"

    public companion object {
        /** A new certificate with a fresh key pair. */
        @JvmStatic
        public fun generate(metadata: Map<String, String> = emptyMap()): Certificate = Certificate(CurveKeyPair.generate(), null, metadata)

        /** A certificate of [keys]. */
        @JvmStatic
        public fun of(keys: CurveKeyPair, metadata: Map<String, String> = emptyMap()): Certificate = Certificate(keys, null, metadata)

        /**
         * Reads a certificate file (public or secret, as zcert writes them).
         *
         * @throws IllegalArgumentException when the file has no valid `public-key`, or keys that do not match.
         */
        @JvmStatic
        public fun load(path: Path): Certificate = parse(Files.readAllLines(path))

        /** Parses the lines of a certificate file. */
        @JvmStatic
        public fun parse(lines: List<String>): Certificate {
            var section = ""
            val metadata = LinkedHashMap<String, String>()
            var public: String? = null
            var secret: String? = null
            for (raw in lines) {
                // Only whole-line comments: Z85 keys may contain '#'.
                val line = raw.trimEnd()
                if (line.isBlank() || line.trimStart().startsWith("#")) continue
                if (!line[0].isWhitespace()) {
                    section = line.trim()
                    continue
                }
                val eq = line.indexOf('=')
                if (eq < 0) continue
                val name = line.substring(0, eq).trim()
                val value = line.substring(eq + 1).trim().removeSurrounding("\"").removeSurrounding("'")
                when (section) {
                    "metadata" -> metadata[name] = value
                    "curve" -> when (name) {
                        "public-key" -> public = value
                        "secret-key" -> secret = value
                    }
                }
            }
            val pub = Z85.decode(requireNotNull(public) { "certificate has no curve/public-key" })
            require(pub.size == 32) { "certificate public-key is not 40 Z85 characters" }
            if (secret == null) return Certificate(null, pub, metadata)
            val keys = CurveKeyPair.fromSecretKey(Z85.decode(secret))
            require(keys.publicKey.contentEquals(pub)) { "certificate secret-key does not belong to its public-key" }
            return Certificate(keys, null, metadata)
        }
    }
}
