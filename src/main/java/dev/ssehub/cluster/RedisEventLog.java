package dev.ssehub.cluster;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.EventLog;
import dev.ssehub.hub.EventLogUnavailableException;
import dev.ssehub.hub.LogListener;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * The event log of a cluster, shared by every node in Redis: one stream holds the events of all topics in id order,
 * a counter gives the sequence and a key the epoch, all in one hash slot. An append is one Lua script (new sequence,
 * {@code XADD} with that id and an approximate {@code MAXLEN}, the idempotency key), so its cost does not depend on
 * the number of nodes or subscribers; each node reads the stream with one {@link LogReader}.
 */
public final class RedisEventLog implements EventLog {

    private static final Logger LOG = Logger.getLogger(RedisEventLog.class.getName());
    private static final int CONNECT_TIMEOUT_MILLIS = 500;
    private static final int COMMAND_TIMEOUT_MILLIS = 1000;
    // Above the reader's block time, so that a blocked read is not mistaken for a dead connection.
    private static final int READER_TIMEOUT_MILLIS = 3000;
    private static final long IDEMPOTENCY_SECONDS = 300;
    private static final long CATCH_UP_MILLIS = 1000;

    private final URI url;
    private final RedisKeys keys;
    private final long history;
    private final JedisPool pool;
    private final RedisOutage outage;
    private final RedisScript epochScript = RedisScript.load("epoch.lua");
    private final RedisScript appendScript = RedisScript.load("append.lua");
    private final RedisScript leaseScript = RedisScript.load("lease.lua");
    private LogReader reader;
    private Thread readerThread;

    /**
     * A log in the Redis at {@code url} ({@code redis://[user:password@]host:port[/db]}, {@code rediss://} for
     * TLS), under keys named {@code {prefix}:...}, keeping at least the last {@code history} events.
     */
    public RedisEventLog(URI url, String prefix, long history) {
        this.url = url;
        this.keys = new RedisKeys(prefix);
        this.history = history;
        this.outage = new RedisOutage(url.getHost() + ":" + url.getPort());
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(32);
        poolConfig.setMaxWait(Duration.ofMillis(COMMAND_TIMEOUT_MILLIS)); // a publish never hangs on a busy pool
        poolConfig.setTestWhileIdle(true);
        poolConfig.setJmxEnabled(false); // a redeployed webapp must leave no MBean behind
        this.pool = new JedisPool(poolConfig, JedisURIHelper.getHostAndPort(url),
                clientConfig(url, COMMAND_TIMEOUT_MILLIS));
    }

    @Override
    public void start(LogListener hub) {
        JedisClientConfig readerConfig = clientConfig(url, READER_TIMEOUT_MILLIS);
        reader = new LogReader(() -> new Jedis(JedisURIHelper.getHostAndPort(url), readerConfig), keys, epochScript,
                outage, hub);
        readerThread = new Thread(reader, "ssehub-redis-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        try {
            if (!reader.awaitCaughtUp(10_000)) {
                LOG.warning("ssehub started before reading the shared log in Redis at " + url.getHost() + ":"
                        + url.getPort() + "; it catches up when Redis answers");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public EventId append(String topic, byte[] body, String idempotencyKey) {
        String key = idempotencyKey == null ? "" : idempotencyKey;
        List<byte[]> scriptKeys = List.of(keys.epoch(), keys.sequence(), keys.log(), keys.idempotency(key));
        List<byte[]> args = List.of(utf8(topic), body, utf8(Long.toString(history)), utf8(key),
                utf8(Long.toString(IDEMPOTENCY_SECONDS)));
        try (Jedis jedis = pool.getResource()) {
            Object id;
            try {
                id = appendScript.run(jedis, scriptKeys, args);
            } catch (JedisDataException noEpoch) {
                if (noEpoch.getMessage() == null || !noEpoch.getMessage().startsWith("NOEPOCH")) {
                    throw noEpoch;
                }
                epochScript.run(jedis, List.of(keys.epoch(), keys.sequence(), keys.log()),
                        List.of(utf8("0"), utf8("0")));
                id = appendScript.run(jedis, scriptKeys, args);
            }
            outage.answered();
            return EventId.parse(new String((byte[]) id, StandardCharsets.US_ASCII));
        } catch (JedisDataException e) {
            throw new EventLogUnavailableException("Redis refused the append: " + e.getMessage(), e);
        } catch (JedisException e) {
            outage.failed(e);
            throw new EventLogUnavailableException("Redis is unreachable", e);
        }
    }

    @Override
    public long catchUpMillis() {
        return CATCH_UP_MILLIS;
    }

    /**
     * Takes or keeps a lease for {@code holder} for the next {@code millis}: true when it holds it. One node of the
     * cluster holds each lease at a time; another takes it over once the holder stops renewing.
     */
    public boolean holdLease(String holder, long millis) {
        try (Jedis jedis = pool.getResource()) {
            Object held = leaseScript.run(jedis, List.of(keys.tickerLease()),
                    List.of(utf8(holder), utf8(Long.toString(millis))));
            outage.answered();
            return Long.valueOf(1).equals(held);
        } catch (JedisException e) {
            outage.failed(e);
            return false;
        }
    }

    /** Whether Redis answered this node's last command. */
    public boolean isReachable() {
        return outage.isReachable();
    }

    @Override
    public void stop() {
        if (reader != null) {
            reader.stop();
            try {
                readerThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.close();
    }

    // What the URL says (user, password, database, TLS), with our timeouts; RESP2, which every Redis speaks.
    private static JedisClientConfig clientConfig(URI url, int socketTimeoutMillis) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
                .socketTimeoutMillis(socketTimeoutMillis)
                .user(JedisURIHelper.getUser(url))
                .password(JedisURIHelper.getPassword(url))
                .database(JedisURIHelper.getDBIndex(url))
                .ssl(JedisURIHelper.isRedisSSLScheme(url))
                .clientName("ssehub")
                .resp2()
                .build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
