package io.zerokt

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe

/** A message holds its first frame inline and any others in a list: every way of building and reading it agrees. */
class MessageTest : FunSpec({
    val built = listOf(
        "constructor of frames" to { Message(Frame.of("a"), Frame.of("bc"), Frame.of("")) },
        "wrap of a list" to { Message.wrap(listOf(Frame.of("a"), Frame.of("bc"), Frame.of(""))) },
        "of strings" to { Message.of("a", "bc", "") },
        "prepend to a shorter one" to { Message.of("bc", "").prepend(Frame.of("a")) },
        "drop from a longer one" to { Message.of("x", "a", "bc", "").drop(1) },
    )

    for ((how, make) in built) {
        test("a three-frame message built by $how reads the same every way") {
            val m = make()
            m.size shouldBe 3
            m.frames.map { it.decodeToString() } shouldBe listOf("a", "bc", "")
            (0 until 3).map { m[it].decodeToString() } shouldBe listOf("a", "bc", "")
            m.map { it.decodeToString() } shouldBe listOf("a", "bc", "")
            m.first().decodeToString() shouldBe "a"
            m.last().isEmpty shouldBe true
            m.decodeToString() shouldBe "a"
            m.byteCount shouldBe 3L
            (0 until 3).map { m.frameSize(it) } shouldBe listOf(1, 2, 0)
            m shouldBe Message.of("a", "bc", "")
            m.hashCode() shouldBe Message.of("a", "bc", "").hashCode()
        }
    }

    test("a single-frame message over part of an array reads only that part, and copies it out on request") {
        val m = Message.of(Frame.wrap("xxhelloyy".encodeToByteArray(), 2, 5))
        m.size shouldBe 1
        m.frames shouldBe listOf(Frame.of("hello"))
        m.toByteArray().decodeToString() shouldBe "hello"
        m.frameSize(0) shouldBe 5
        (0 until 5).map { m.byteAt(it).toInt().toChar() }.joinToString("") shouldBe "hello"
        shouldThrow<IndexOutOfBoundsException> { m.byteAt(5) }
        val out = ByteArray(7)
        m.copyFrameInto(0, out, 1)
        out.decodeToString(1, 6) shouldBe "hello"
        m shouldBe Message("hello")
        m shouldNotBe Message.of("hello", "")
    }

    test("an engine's single-frame message keeps its bytes without copying them, and its metadata") {
        val bytes = "abc".encodeToByteArray()
        val metadata = MessageMetadata(mapOf("User-Id" to "u"))
        val m = Message.wrap(bytes, metadata)
        m.metadata shouldBe metadata
        m.decodeToString() shouldBe "abc"
        m.prepend(Frame.of("id")).metadata shouldBe metadata
        m.prepend(Frame.of("id")).drop(1) shouldBe m
    }

    test("an empty frame list means one empty frame, and dropping every frame leaves one empty frame") {
        Message(emptyList()).frames shouldBe listOf(Frame.EMPTY)
        Message.wrap(emptyList()).size shouldBe 1
        Message.of("a", "b").drop(2).frames shouldBe listOf(Frame.EMPTY)
    }

    test("a frame index outside the message is refused") {
        val m = Message.of("a", "b")
        shouldThrow<IndexOutOfBoundsException> { m[2] }
        shouldThrow<IndexOutOfBoundsException> { m[-1] }
        shouldThrow<IndexOutOfBoundsException> { Message("a")[1] }
    }

    test("a message built from a list does not change when the list does") {
        val frames = mutableListOf(Frame.of("a"), Frame.of("b"))
        val copied = Message(frames)
        frames[1] = Frame.of("c")
        copied.frames shouldBe listOf(Frame.of("a"), Frame.of("b"))
    }
})
