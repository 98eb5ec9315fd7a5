package dev.ssehub.bench;

/** The Tomcat connector settings the benchmark compares; docs/deploy.md recommends the first for large deployments. */
final class TomcatSettings {

    /**
     * Every stream holds a connection, so maxConnections goes past the streams wanted (the default is 8,192) and
     * acceptCount absorbs reconnect bursts (the default backlog is 100). A stream reads one small request and
     * writes small frames, so the socket's read buffer (8 KiB by default) and write buffer (8 KiB) and the response
     * header buffer (8 KiB) can be smaller; the request header limit stays at 8 KiB for browsers' cookies. Every
     * connection also holds a buffer of maxTrailerSize (8 KiB) for the trailer of a chunked request body, which
     * browsers never send: 256 bytes saves about 7.7 KiB per stream. Tomcat keeps closed connections for reuse
     * (socket.bufferPool, by default as many as 1/32 of the heap would hold if each cost only its socket buffers),
     * but each one it keeps still holds the whole ~70 KiB of its last request: 10,000 streams that left kept 683 MiB
     * of a 4 GiB heap; at most 1,000 keep 55 MiB.
     */
    static final String RECOMMENDED = "maxConnections=20000,acceptCount=1000,socket.appReadBufSize=1024,"
            + "socket.appWriteBufSize=4096,maxHttpResponseHeaderSize=2048,maxTrailerSize=256,socket.bufferPool=1000";

    /** Tomcat's NIO connector as it comes. */
    static final String STOCK = "";

    private TomcatSettings() {
    }
}
