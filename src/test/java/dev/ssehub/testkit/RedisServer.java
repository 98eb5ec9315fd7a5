package dev.ssehub.testkit;

import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Debian's redis-server run by a test on a free loopback port, its files in one directory under target/. It can be
 * stopped and started again on the same port, keeping its data (append-only file) or not, as a test needs.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern READY = Pattern.compile("Ready to accept connections");

    private final Path executable;
    private final Path directory;
    private final int port;
    private final boolean appendOnly;
    private ExternalProcess process;
    private int starts;

    private RedisServer(Path executable, Path directory, int port, boolean appendOnly) {
        this.executable = executable;
        this.directory = directory;
        this.port = port;
        this.appendOnly = appendOnly;
    }

    /**
     * Starts redis-server in {@code directory} (emptied first); with {@code appendOnly}, every write is synced to
     * its append-only file, so a restart keeps everything; without, a restart comes back empty.
     */
    public static RedisServer start(Path directory, boolean appendOnly) throws Exception {
        Path executable = ExternalTool.require("redis-server", "redis-server");
        ContainerDistribution.deleteRecursively(directory);
        Files.createDirectories(directory);
        RedisServer redis = new RedisServer(executable, directory.toAbsolutePath(), ExternalProcess.freePort(),
                appendOnly);
        redis.startAgain();
        return redis;
    }

    /** Starts the server again on the same port, after {@link #kill} or {@link #stop}. */
    public void startAgain() throws Exception {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", directory.toString(), "--save", "", "--protected-mode", "no",
                "--daemonize", "no", "--loglevel", "notice"));
        command.addAll(appendOnly ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        process = ExternalProcess.start("redis-server", command, directory,
                directory.resolve("redis-" + (++starts) + ".log"));
        process.awaitOutput(READY, START_TIMEOUT);
    }

    /** Stops the server at once (SIGKILL): what was not synced is lost, clients see their connections drop. */
    public void kill() {
        process.close();
    }

    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** A new connection for the test's own commands (CLIENT KILL, FLUSHALL, XLEN...). */
    public Jedis connect() {
        return new Jedis("127.0.0.1", port);
    }

    public String log() throws IOException {
        return process.output();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
