package dev.ssehub.server;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The default of {@code maxStreams}, from what the process may hold: every stream is a socket, and a process out of
 * file descriptors fails everything (accepting, publishing, logging), while one at its stream limit only turns new
 * streams away, gracefully.
 */
final class OpenFiles {

    /** Descriptors kept for the container, the JVM, logs and publishers: 1,000, or a tenth of a small limit. */
    static final int RESERVE = 1000;
    /** Where the limit cannot be read (not a Unix JVM). */
    static final int WITHOUT_LIMIT = 10_000;

    private OpenFiles() {
    }

    /** The process's open-file limit, or -1 where it cannot be read. */
    static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** The streams that fit the open-file limit after the reserve, at least 1. */
    static int streamsThatFit() {
        long limit = limit();
        if (limit <= 0) {
            return WITHOUT_LIMIT;
        }
        long reserve = Math.min(RESERVE, Math.max(16, limit / 10));
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit - reserve));
    }
}
