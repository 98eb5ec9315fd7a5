package dev.ssehub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What Linux's {@code /proc} says about a process: CPU ticks, resident memory, threads, open files. */
final class ProcStat {

    private ProcStat() {
    }

    /** utime + stime of the process, in clock ticks (1/100 s). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name in parentheses may hold spaces: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long rssBytes(long pid) throws IOException {
        return statusField(pid, "VmRSS:") * 1024;
    }

    static int threads(long pid) throws IOException {
        return (int) statusField(pid, "Threads:");
    }

    /** Entries of {@code /proc/<pid>/fd}: sockets, files, pipes, the epoll and event descriptors. */
    static int openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    private static long statusField(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }
}
