package io.zerokt.examples.java;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Runs every Java example as a user would, and checks that the README's Java quick start is HelloWorld.java. */
@Timeout(60)
class JavaExamplesTest {
    @Test
    void helloWorldPrintsThreeReplies() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            HelloWorld.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertEquals(List.of("Hello 0, World", "Hello 1, World", "Hello 2, World"),
            out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void pubSubDeliversOnlyTheSubscribedTopic() {
        List<String> got = PubSubTopics.run(5);
        assertEquals(List.of("weather: sunny 0", "weather: sunny 1", "weather: sunny 2", "weather: sunny 3", "weather: sunny 4"), got);
    }

    @Test
    void pipelineSumsTheSquares() throws Exception {
        assertEquals(338_350L, Pipeline.run(100, 4));
    }

    @Test
    void brokerAnswersEveryClientThroughTheProxy() throws Exception {
        List<String> replies = Broker.run(4);
        assertEquals(4, replies.size());
        for (int i = 0; i < 4; i++) assertTrue(replies.get(i).startsWith("job " + i + " done by worker-"), replies.get(i));
    }

    @Test
    void pollerLoopHandlesTasksThenStops() {
        assertEquals(List.of("task 0", "task 1", "task 2", "control: stop"), PollerLoop.run());
    }

    @Test
    void asyncClientCombinesTheReplies() throws Exception {
        assertEquals("REPLY0 REPLY1 REPLY2", AsyncClient.run(3));
    }

    @Test
    void theReadmeJavaQuickStartIsHelloWorldJava() throws IOException {
        Path module = Paths.get("").toAbsolutePath();
        Path readme = module.resolveSibling("README.md");
        if (!Files.exists(readme)) readme = module.resolve("README.md");
        Path source = module.resolve("src/main/java/io/zerokt/examples/java/HelloWorld.java");
        String file = Files.readString(source);
        String quoted = between(file, "// quick-start:begin\n", "// quick-start:end");
        String readmeText = Files.readString(readme);
        String section = readmeText.substring(readmeText.indexOf("## Java quick start"));
        String block = between(section, "```java\n", "```");
        assertEquals(quoted, block, "README.md's Java quick start must be HelloWorld.java between its quick-start markers");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start.trim());
        from += start.length();
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "no " + end.trim());
        return text.substring(from, to);
    }
}
