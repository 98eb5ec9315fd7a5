package dev.ssehub.bench;

/** The Tomcat connector settings the benchmark compares; the README recommends the first for large deployments. */
final class TomcatSettings {

    /**
     * Every stream holds a connection, so maxConnections goes past the streams wanted (the default is 8,192) and
     * acceptCount absorbs reconnect bursts (the default backlog is 100).
     */
    static final String RECOMMENDED = "maxConnections=20000,acceptCount=1000";

    /** Tomcat's NIO connector as it comes. */
    static final String STOCK = "";

    private TomcatSettings() {
    }
}
