package dev.ssehub.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A program a test runs beside the JVM (a servlet container, nginx), its standard output and error going to one
 * log file. The test that starts it stops it; {@link #close} kills it if it is still running.
 */
public final class ExternalProcess implements AutoCloseable {

    // 128 + SIGKILL: the status of a process the kernel ended without letting it run any code.
    private static final int EXIT_ON_SIGKILL = 137;

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ExternalProcess start(String name, List<String> command, Path directory, Path log)
            throws IOException {
        return start(name, command, Map.of(), directory, log);
    }

    /** Starts the command with {@code environment} added to this JVM's environment variables. */
    public static ExternalProcess start(String name, List<String> command, Map<String, String> environment,
            Path directory, Path log) throws IOException {
        return start(name, command, environment, Path.of("/dev/null"), directory, log);
    }

    /** As {@link #start(String, List, Map, Path, Path)}, reading its standard input from the file {@code input}. */
    public static ExternalProcess start(String name, List<String> command, Map<String, String> environment,
            Path input, Path directory, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(input.toFile()));
        builder.environment().putAll(environment);
        return new ExternalProcess(name, builder.start(), log);
    }

    /** Runs a command to its end and fails the test unless it exits with 0 in time. */
    public static void run(String name, List<String> command, Path directory, Path log, Duration timeout)
            throws IOException, InterruptedException {
        try (ExternalProcess process = start(name, command, directory, log)) {
            int status = process.awaitExit(timeout);
            if (status != 0) {
                fail(name + " exited with " + status + "; its output:\n" + process.output());
            }
        }
    }

    /** A TCP port on the loopback interface that nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output has a line matching {@code pattern}; fails when the process ends first or time is up. */
    public void awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pattern.matcher(output()).find()) {
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + " before printing /" + pattern + "/:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                fail(name + " did not print /" + pattern + "/ within " + timeout + ":\n" + output());
            }
            Thread.sleep(25);
        }
    }

    /** Waits for the process to end by itself and returns its exit status; fails when time is up. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(name + " still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM, the signal a service manager stops a server with, and waits for the process to end. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /**
     * Kills the process at once with SIGKILL ({@code kill -9}), as a crash or the kernel's OOM killer would: no
     * shutdown hook runs, and the kernel closes its connections. Fails when the process has children, since then
     * it is a launcher and killing it would leave the real server running; fails unless it died of the signal.
     */
    public void kill(Duration timeout) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        if (!children.isEmpty()) {
            fail(name + " (pid " + process.pid() + ") has child processes " + children.stream()
                    .map(child -> child.pid() + " " + child.info().command().orElse("?")).toList()
                    + ": SIGKILL would stop the launcher, not the server");
        }
        process.destroyForcibly(); // SIGKILL on Linux
        int status = awaitExit(timeout);
        if (status != EXIT_ON_SIGKILL) {
            fail(name + " exited with " + status + ", not of SIGKILL (" + EXIT_ON_SIGKILL + ")");
        }
    }

    /** Sends SIGTERM, waits up to {@code timeout} for the process to end, then kills it if it still runs. */
    public void stop(Duration timeout) {
        try {
            process.destroy();
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
