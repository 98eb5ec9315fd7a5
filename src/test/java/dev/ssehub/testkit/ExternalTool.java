package dev.ssehub.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program from the operating system that a test drives (Chromium, ChromeDriver, nginx). When it is missing, the
 * test is skipped with the Debian package to install; under CI ({@code CI=true}) it fails instead, so that a
 * machine without the tool can never pass by skipping. {@code .ci/run} installs them all.
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /**
     * The first of {@code candidates} that is an executable file; a bare name is also looked up on the PATH.
     * Skips the test (fails it under CI) when there is none.
     */
    public static Path require(String debianPackage, String... candidates) {
        List<Path> tried = new ArrayList<>();
        for (String candidate : candidates) {
            for (Path path : locations(candidate)) {
                tried.add(path);
                if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                    return path;
                }
            }
        }
        String message = "this test needs " + String.join(" or ", candidates) + " (looked at " + tried
                + "): install the Debian package " + debianPackage + " (apt-get install " + debianPackage + ")";
        if (underCi()) {
            Assertions.fail(message + "; CI=true, so a missing tool fails instead of skipping");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static List<Path> locations(String candidate) {
        if (candidate.contains("/")) {
            return List.of(Path.of(candidate));
        }
        List<Path> paths = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                paths.add(Path.of(dir, candidate));
            }
        }
        // Debian keeps nginx in /usr/sbin, which is not on every user's PATH.
        paths.add(Path.of("/usr/sbin", candidate));
        return paths;
    }
}
