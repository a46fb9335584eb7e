package io.zerokt.examples.zkt

import io.zerokt.SocketType
import picocli.CommandLine.ITypeConverter
import picocli.CommandLine.TypeConversionException

/**
 * Reads a socket type name case-insensitively (`push`, `PUSH`, `Push`). Only the eleven standard types are accepted:
 * the draft types are not implemented by ZeroKt's core yet, and naming one is a clear error.
 */
class SocketTypeConverter : ITypeConverter<SocketType> {
    override fun convert(value: String): SocketType {
        val type = SocketType.entries.firstOrNull { it.name.equals(value.trim(), ignoreCase = true) }
        return when {
            type == null -> throw TypeConversionException("unknown socket type '$value' (expected one of $NAMES)")
            type.isDraft -> throw TypeConversionException("socket type '$value' is a draft type ZeroKt does not implement yet (expected one of $NAMES)")
            else -> type
        }
    }

    companion object {
        /** The accepted names, for messages and help. */
        val NAMES: String = SocketType.entries.filter { !it.isDraft }.joinToString(", ") { it.name }
    }
}
