package dev.ssehub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A server under test in its own process: a child JVM running {@link ServerMain}, or Python running the Flask
 * example. It prints {@code READY <port>} when it listens; a JVM child also answers {@code memory}. Its CPU time and
 * resident memory are read from {@code /proc/<pid>}. Closing it stops the process, forcibly if it does not stop
 * within a few seconds.
 */
final class ServerProcess implements AutoCloseable {

    /** Memory after a full GC (heap and direct buffers; -1 when not a JVM), resident memory, threads. */
    record Memory(long heapBytes, long directBytes, long rssBytes, int threads) {
    }

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Process process;
    private final boolean jvm;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final PrintWriter commands;
    private final int port;
    // Ends the child if the benchmark is stopped (Ctrl-C, kill) before it closes the child itself.
    private final Thread killOnExit;

    private ServerProcess(Process process, boolean jvm, Path log) throws IOException, InterruptedException {
        this.process = process;
        this.jvm = jvm;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.killOnExit = new Thread(process::destroyForcibly, "kill-server-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Thread reader = new Thread(() -> readOutput(logWriter), "server-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        String ready = answer("READY", 120);
        this.port = Integer.parseInt(ready.substring("READY ".length()).trim());
    }

    static ServerProcess startJvm(SystemKind kind, Path java, String classpath, List<String> jvmOptions,
                                  List<String> args, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(ServerMain.class.getName());
        command.add(kind.id());
        command.addAll(args);
        return start(new ProcessBuilder(command), true, log);
    }

    /** A container distribution's launcher, its JVM carrying {@link AdminAgent}. */
    static ServerProcess startDistribution(Distribution.Launch launch, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.directory().toFile());
        builder.environment().putAll(launch.environment());
        return start(builder, true, log);
    }

    static ServerProcess startPython(String python, Path script, Path logDir) throws IOException, InterruptedException {
        return start(new ProcessBuilder(python, script.toString()), false, logDir.resolve("flask.log"));
    }

    private static ServerProcess start(ProcessBuilder builder, boolean jvm, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        String environment = builder.environment().entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("CATALINA") || entry.getKey().equals("JAVA_HOME"))
                .map(entry -> entry.getKey() + "='" + entry.getValue() + "' ").sorted()
                .collect(Collectors.joining());
        Files.writeString(log, "$ " + environment + String.join(" ", builder.command()) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            return new ServerProcess(process, jvm, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Memory now; for a JVM after two full GCs (System.gc() in the child), so the heap figure is live data. */
    Memory memory() throws IOException, InterruptedException {
        long heap = -1;
        long direct = -1;
        int threads = ProcStat.threads(process.pid());
        if (jvm) {
            commands.println("memory");
            String[] parts = answer("MEMORY", 120).split(" ");
            heap = Long.parseLong(parts[1]);
            direct = Long.parseLong(parts[2]);
            threads = Integer.parseInt(parts[3]);
        }
        return new Memory(heap, direct, ProcStat.rssBytes(process.pid()), threads);
    }

    /** Open file descriptors of the process now. */
    int openFiles() throws IOException {
        return ProcStat.openFiles(process.pid());
    }

    /**
     * Stops the process with SIGTERM, as a service manager stops a server, and waits up to {@code seconds} for it to
     * exit; whether it did.
     */
    boolean terminate(int seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** CPU time used so far, user and system, in seconds. */
    double cpuSeconds() throws IOException {
        return ProcStat.cpuTicks(process.pid()) / (double) CLOCK_TICKS_PER_SECOND;
    }

    @Override
    public void close() {
        try {
            if (jvm && process.isAlive()) {
                commands.println("stop");
            } else {
                process.destroy(); // SIGTERM: Python has no admin hook
            }
            commands.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private String answer(String prefix, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = answers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException("the server process " + process.pid() + " gave no " + prefix + " answer within "
                        + seconds + " s" + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
            }
            if (line.startsWith(prefix + " ")) {
                return line;
            }
        }
    }

    private void readOutput(Writer log) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); log) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ") || line.startsWith("MEMORY ")) {
                    answers.add(line);
                } else {
                    log.write(line + "\n");
                    log.flush();
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }
}
