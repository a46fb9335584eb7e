package io.zerokt.engine

import io.zerokt.Context
import io.zerokt.engine.internal.RealContext
import io.zerokt.spi.ContextProvider

/** Makes `zmq-engine`'s contexts available to [io.zerokt.ZeroKt.context] through `ServiceLoader`. */
internal class EngineContextProvider : ContextProvider {
    override fun createContext(ioThreads: Int): Context = RealContext(ioThreads)
}
