package dev.ssehub.bench;

/** The Tomcat connector settings the benchmark compares; docs/deploy.md recommends the first for large deployments. */
final class TomcatSettings {

    /**
     * Every stream holds a connection, so maxConnections goes past the streams wanted (the default is 8,192) and
     * acceptCount absorbs reconnect bursts (the default backlog is 100). A stream reads one small request and
     * writes small frames, so the socket's read buffer (8 KiB by default) and write buffer (8 KiB) and the response
     * header buffer (8 KiB) can be smaller; the request header limit stays at 8 KiB for browsers' cookies.
     */
    static final String RECOMMENDED = "maxConnections=20000,acceptCount=1000,socket.appReadBufSize=1024,"
            + "socket.appWriteBufSize=4096,maxHttpResponseHeaderSize=2048";

    /** Tomcat's NIO connector as it comes. */
    static final String STOCK = "";

    private TomcatSettings() {
    }
}
