package dev.ssehub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * How the benchmark talks to a server's JVM: one command a line on its standard input, one answer a line on its
 * standard output. {@code memory} prints {@code MEMORY <heap> <direct> <threads>} (bytes after two full GCs);
 * {@code stop} and the end of the input return.
 */
final class AdminChannel {

    private AdminChannel() {
    }

    static void serve() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "memory" -> System.out.println(memory());
                case "stop" -> {
                    return;
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
            System.out.flush();
        }
    }

    private static String memory() {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        return "MEMORY " + heap + " " + direct + " " + threads;
    }
}
