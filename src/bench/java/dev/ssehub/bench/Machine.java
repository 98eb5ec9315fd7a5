package dev.ssehub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Where and when the benchmark ran: written into every result file. */
record Machine(ZonedDateTime date, String host, int cores, String cpu, long memoryBytes, String kernel, String java,
               String loadBefore, String loadAfter) {

    static Machine describe() {
        return new Machine(ZonedDateTime.now(), hostName(), Runtime.getRuntime().availableProcessors(), cpuModel(),
                memTotal(), read("/proc/sys/kernel/osrelease").trim(), javaVersion(), loadAverage(), "");
    }

    Machine withLoadAfter(String load) {
        return new Machine(date, host, cores, cpu, memoryBytes, kernel, java, loadBefore, load);
    }

    /** The 1-, 5- and 15-minute load averages. */
    static String loadAverage() {
        String[] fields = read("/proc/loadavg").split(" ");
        return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
    }

    String summary() {
        return cores + " cores (" + cpu + "), " + String.format("%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024))
                + ", Linux " + kernel + ", " + java;
    }

    String stamp() {
        return date.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    }

    private static String javaVersion() {
        try {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-version").redirectErrorStream(true).start();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().toList();
            process.waitFor();
            return String.join("; ", lines);
        } catch (IOException e) {
            return System.getProperty("java.runtime.version");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.getProperty("java.runtime.version");
        }
    }

    private static String cpuModel() {
        return read("/proc/cpuinfo").lines().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static long memTotal() {
        return read("/proc/meminfo").lines().filter(line -> line.startsWith("MemTotal:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1);
    }

    private static String hostName() {
        String name = read("/proc/sys/kernel/hostname").trim();
        return name.isEmpty() ? "unknown" : name;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
