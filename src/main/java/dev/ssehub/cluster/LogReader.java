package dev.ssehub.cluster;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.LogListener;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntryBinary;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one reader of the shared log on this node: it follows the Redis stream from where it left off and feeds each
 * entry to the hub in order. A dropped connection costs latency, never an event: it reconnects and reads on from its
 * position. What it finds missing (trimmed before it read it) becomes a skip, which subscribers see as {@code missed};
 * a new epoch (Redis lost its data) starts it over at the new log's beginning.
 */
final class LogReader implements Runnable {

    private static final int BATCH = 1000;
    private static final int BLOCK_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 2000;
    private static final byte[] EPOCH = "e".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOPIC = "t".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "b".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<Jedis> connect;
    private final RedisKeys keys;
    private final RedisScript epochScript;
    private final RedisOutage outage;
    private final LogListener hub;
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    // Owned by the reader thread.
    private long epoch;
    private long lastSequence = -1; // -1: nothing read in this epoch yet
    private boolean checkEpoch = true;
    private volatile boolean running = true;
    private volatile Jedis connection;

    LogReader(Supplier<Jedis> connect, RedisKeys keys, RedisScript epochScript, RedisOutage outage, LogListener hub) {
        this.connect = connect;
        this.keys = keys;
        this.epochScript = epochScript;
        this.outage = outage;
        this.hub = hub;
    }

    @Override
    public void run() {
        long backoff = 100;
        while (running) {
            try (Jedis jedis = connect.get()) {
                connection = jedis;
                while (running) {
                    readOnce(jedis);
                    outage.answered();
                    backoff = 100;
                }
            } catch (JedisException | IllegalStateException e) {
                if (!running) {
                    return;
                }
                outage.failed(e);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            } catch (RuntimeException | Error e) {
                outage.failed(new IllegalStateException("the log reader failed", e)); // and tries again
                sleep(MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** Waits until the reader has read the whole log once; false when that took longer than the timeout. */
    boolean awaitCaughtUp(long millis) throws InterruptedException {
        return caughtUp.await(millis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        running = false;
        Jedis jedis = connection;
        if (jedis != null) {
            try {
                jedis.disconnect(); // ends a blocked read at once
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    private void readOnce(Jedis jedis) {
        if (checkEpoch) {
            long current = epochOf(jedis);
            if (current != epoch) {
                epoch = current; // a new log: read it from its beginning
                lastSequence = -1;
            }
            checkEpoch = false;
        }
        if (lastSequence < 0) {
            startEpoch(jedis);
            return;
        }
        List<StreamEntryBinary> entries = read(jedis, lastSequence, true);
        if (entries.isEmpty()) {
            checkEpoch = true; // idle: the moment to notice a log that lost its data or went back in time
            caughtUp.countDown();
            return;
        }
        for (StreamEntryBinary entry : entries) {
            if (!feed(entry)) {
                checkEpoch = true; // an entry of another epoch: read the epoch again
                return;
            }
        }
        if (entries.size() < BATCH) {
            caughtUp.countDown();
        }
    }

    // The first read of an epoch tells where this node begins. The counter is read before the log, so an event
    // appended in between is in the read, and one appended after it comes later: none is skipped.
    private void startEpoch(Jedis jedis) {
        byte[] counted = jedis.get(keys.sequence());
        List<StreamEntryBinary> entries = read(jedis, 0, false);
        if (entries.isEmpty()) {
            lastSequence = counted == null ? 0 : Long.parseLong(new String(counted, StandardCharsets.US_ASCII));
            hub.skip(new EventId(epoch, lastSequence)); // an empty log: this node starts at its end
            caughtUp.countDown();
            return;
        }
        for (StreamEntryBinary entry : entries) {
            if (!feed(entry)) {
                checkEpoch = true;
                return;
            }
        }
    }

    private long epochOf(Jedis jedis) {
        byte[] followed = Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
        byte[] read = Long.toString(Math.max(0, lastSequence)).getBytes(StandardCharsets.US_ASCII);
        return Long.parseLong(new String((byte[]) epochScript.run(jedis,
                List.of(keys.epoch(), keys.sequence(), keys.log()), List.of(followed, read)),
                StandardCharsets.US_ASCII));
    }

    private List<StreamEntryBinary> read(Jedis jedis, long after, boolean wait) {
        XReadParams params = XReadParams.xReadParams().count(BATCH);
        if (wait) {
            params.block(BLOCK_MILLIS);
        }
        List<Map.Entry<byte[], List<StreamEntryBinary>>> streams = jedis.xreadBinary(params,
                Map.of(keys.log(), new StreamEntryID(after, 0)));
        return streams == null || streams.isEmpty() ? List.of() : streams.get(0).getValue();
    }

    // False when the entry belongs to another epoch than the one this reader follows.
    private boolean feed(StreamEntryBinary entry) {
        long sequence = entry.getID().getTime();
        byte[] entryEpoch = field(entry, EPOCH);
        if (entryEpoch == null || Long.parseLong(new String(entryEpoch, StandardCharsets.US_ASCII)) != epoch) {
            return false;
        }
        if (sequence != lastSequence + 1) {
            hub.skip(new EventId(epoch, sequence - 1)); // the log no longer holds what came before this entry
        }
        byte[] topic = field(entry, TOPIC);
        byte[] body = field(entry, BODY);
        lastSequence = sequence;
        if (topic != null && body != null) {
            hub.deliver(new EventId(epoch, sequence), new String(topic, StandardCharsets.UTF_8), body);
        }
        return true;
    }

    private static byte[] field(StreamEntryBinary entry, byte[] name) {
        for (Map.Entry<byte[], byte[]> field : entry.getFields().entrySet()) {
            if (Arrays.equals(field.getKey(), name)) {
                return field.getValue();
            }
        }
        return null;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
