package dev.ssehub.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Cluster mode: the Redis that holds the shared event log, the prefix of its keys, and how much history it keeps. */
record RedisSettings(URI url, String prefix, long history) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Null when no URL is given: one node, no Redis. */
    static RedisSettings parse(String url, String prefix, long history) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("ssehub.redisUrl is not a URL: " + e.getMessage());
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("ssehub.redisUrl must look like redis://[user:password@]host:port[/db] "
                    + "or rediss:// for TLS, not '" + withoutPassword(uri) + "'");
        }
        String keyPrefix = prefix == null ? "ssehub" : prefix;
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("ssehub.redisPrefix must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
        }
        return new RedisSettings(uri, keyPrefix, history);
    }

    /** Where Redis is, for logs: never its password. */
    String where() {
        return withoutPassword(url);
    }

    private static String withoutPassword(URI uri) {
        return uri.getScheme() + "://" + (uri.getHost() == null ? "?" : uri.getHost())
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getPath() == null ? "" : uri.getPath());
    }
}
