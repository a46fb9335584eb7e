package io.zerokt.engine.spi

/**
 * Marks declarations that are public only so that ZeroKt's own modules (`zmq-uring`, `zmq-security`) can plug
 * into the engine. They may change in any release; applications must not use them.
 */
@RequiresOptIn(level = RequiresOptIn.Level.ERROR, message = "ZeroKt engine SPI: for ZeroKt's own modules only")
@Retention(AnnotationRetention.BINARY)
@Target(AnnotationTarget.CLASS, AnnotationTarget.FUNCTION, AnnotationTarget.PROPERTY, AnnotationTarget.TYPEALIAS)
public annotation class ZeroKtInternalApi
