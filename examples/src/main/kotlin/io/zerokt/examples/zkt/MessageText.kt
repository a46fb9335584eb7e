package io.zerokt.examples.zkt

import io.zerokt.Frame
import io.zerokt.Message
import java.nio.ByteBuffer
import java.nio.charset.CharacterCodingException
import java.nio.charset.CodingErrorAction

/**
 * How `zkt cat` turns a line of text into a [Message] and back.
 *
 * - A tab separates frames: `a<TAB>b` is a two-frame message; an empty line is one empty frame.
 * - Output: a frame is printed as its text when it is valid UTF-8 without control characters (tab, newline, bytes
 *   below 0x20, DEL, C1) and does not itself look like hex; otherwise as `0x` and lowercase hex (`0x00800041a7`).
 *   An empty frame prints as nothing.
 * - Input: a field that is `0x` followed by an even, non-zero number of hex digits is sent as those bytes (so a
 *   ROUTER's binary routing id can be typed back as printed); any other field is sent as UTF-8. With `literal`,
 *   every field is sent as UTF-8.
 *
 * So every message printed can be sent again unchanged.
 */
object MessageText {
    private val HEX_FIELD = Regex("0x(?:[0-9a-fA-F]{2})+")

    /** The message a [line] stands for. */
    fun parseLine(line: String, literal: Boolean = false): Message =
        Message.wrap(line.split('\t').map { parseField(it, literal) })

    /** The frame a single [field] stands for. */
    fun parseField(field: String, literal: Boolean = false): Frame =
        if (!literal && HEX_FIELD.matches(field)) Frame.wrap(hexToBytes(field.substring(2))) else Frame.of(field)

    /** [message] as one line (without the line end). */
    fun format(message: Message): String = message.frames.joinToString("\t") { format(it) }

    /** [frame] as text or as `0x` hex (see the class comment). */
    fun format(frame: Frame): String {
        val bytes = frame.toByteArray()
        val text = decodeStrictly(bytes)
        return if (text != null && text.none { it.isControlChar() } && !HEX_FIELD.matches(text)) text else "0x" + toHex(bytes)
    }

    private fun decodeStrictly(bytes: ByteArray): String? = try {
        Charsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString()
    } catch (_: CharacterCodingException) {
        null
    }

    private fun Char.isControlChar(): Boolean = code < 0x20 || code in 0x7f..0x9f

    private fun toHex(bytes: ByteArray): String {
        val digits = "0123456789abcdef"
        val out = StringBuilder(bytes.size * 2)
        for (b in bytes) out.append(digits[(b.toInt() shr 4) and 0xf]).append(digits[b.toInt() and 0xf])
        return out.toString()
    }

    private fun hexToBytes(hex: String): ByteArray = ByteArray(hex.length / 2) { i ->
        hex.substring(2 * i, 2 * i + 2).toInt(16).toByte()
    }
}
