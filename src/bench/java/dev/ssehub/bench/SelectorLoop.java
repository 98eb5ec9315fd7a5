package dev.ssehub.bench;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One selector thread of the load client's kind: it runs the tasks handed to it, passes each ready key to its
 * owner and calls the owner's tick at a fixed interval. Everything registered with it belongs to this thread;
 * other threads reach it through {@link #run} and {@link #ask}. Closing stops the thread, which closes every channel
 * still registered.
 */
final class SelectorLoop implements AutoCloseable {

    /** What the thread calls; all on the selector thread. */
    interface Owner {
        void connectable(SelectionKey key);

        void readable(SelectionKey key);

        /** Every tick interval, e.g. to time out connections. */
        void tick();
    }

    private final Selector selector;
    private final Thread thread;
    private final Owner owner;
    private final long tickNanos;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    SelectorLoop(String name, long tickMillis, Owner owner) throws IOException {
        this.selector = Selector.open();
        this.owner = owner;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs a task on the selector thread. */
    void run(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Asks a question on the selector thread and waits for the answer. */
    <T> T ask(Supplier<T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        run(() -> answer.complete(question.get()));
        return answer.join();
    }

    /** Registers a channel; on the selector thread only. */
    SelectionKey register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        return channel.register(selector, ops, attachment);
    }

    boolean running() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private void loop() {
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (running) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime())));
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isConnectable()) {
                        owner.connectable(key);
                    } else if (key.isValid() && key.isReadable()) {
                        owner.readable(key);
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextTick) {
                    nextTick = Math.max(nextTick + tickNanos, System.nanoTime());
                    owner.tick();
                }
            }
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
