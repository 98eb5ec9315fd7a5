package dev.ssehub.server;

import dev.ssehub.testkit.ExternalTool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the tests of the JavaScript library (webapp/js/ssehub.js) under Node's own test runner: its parser against the
 * spec table the Java parser uses, its stream's state machine, and the sharing of one stream by many tabs. Needs
 * Node.js 18 or newer (Debian package nodejs); skipped without it, failed without it under CI=true.
 */
final class JavaScriptLibraryTest {

    @Test
    void nodeTestRunnerPassesEveryTest() throws IOException, InterruptedException {
        Path node = ExternalTool.require("nodejs", "node", "nodejs");
        Path project = Path.of(System.getProperty("ssehub.webapp", "webapp")).toAbsolutePath().getParent();
        List<String> command = new ArrayList<>(List.of(node.toString(), "--test"));
        try (Stream<Path> files = Files.list(project.resolve("src/test/js"))) {
            files.map(Path::toString).filter(name -> name.endsWith(".test.js")).sorted().forEach(command::add);
        }
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes(); // the runner ends its output when it ends
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node --test did not end");
        String report = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), report);
        assertTrue(report.contains("# fail 0"), report);
    }
}
