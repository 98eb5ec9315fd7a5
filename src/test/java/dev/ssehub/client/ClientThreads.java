package dev.ssehub.client;

import java.util.List;

/** The threads an {@link EventSourceClient} starts, found by name. */
final class ClientThreads {

    private ClientThreads() {
    }

    static List<String> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("sse-client-") && thread.isAlive())
                .map(Thread::getName)
                .toList();
    }
}
