package dev.ssehub.testkit;

import dev.ssehub.wire.SseParser;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@code GET} of an event stream over httpclient5, read on its own thread into a parser and a
 * {@link RecordingListener}. Closing it drops the connection, as a browser tab that goes away would.
 */
public final class SseConnection implements AutoCloseable {

    private static final CloseableHttpClient CLIENT = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(2000)
                    .setMaxConnPerRoute(2000)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(5))
                            .setSocketTimeout(Timeout.ofSeconds(30))
                            .build())
                    .build())
            .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build())
            .disableAutomaticRetries()
            .disableContentCompression()
            .build();

    private static final Duration READER_END_TIMEOUT = Duration.ofSeconds(5);

    private final HttpGet request;
    private final ClassicHttpResponse response;
    private final RecordingListener listener = new RecordingListener();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;

    private SseConnection(HttpGet request, ClassicHttpResponse response) {
        this.request = request;
        this.response = response;
    }

    public static SseConnection open(URI uri) throws IOException {
        return open(uri, Map.of());
    }

    /** Opens the stream and waits for the response headers; reading starts at once. */
    public static SseConnection open(URI uri, Map<String, String> headers) throws IOException {
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", "text/event-stream");
        headers.forEach(get::setHeader);
        SseConnection connection = new SseConnection(get, CLIENT.executeOpen(null, get, null));
        if (connection.hasReader()) {
            Thread reader = new Thread(connection::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }
        return connection;
    }

    public int status() {
        return response.getCode();
    }

    public String header(String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    public Header[] headers() {
        return response.getHeaders();
    }

    public RecordingListener events() {
        return listener;
    }

    /** Waits for the server to end the stream. */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        assertTrue(ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS), "the stream did not end within " + timeout);
    }

    public boolean hasEnded() {
        return ended.getCount() == 0;
    }

    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        request.cancel(); // drops the socket instead of reading the endless stream to its end
        if (hasReader() && !awaitReaderEnd()) {
            return; // the reader is stuck; touching the response now would race it, and the socket is gone anyway
        }
        try {
            response.close(); // only once the reader is done: httpclient's stream may not be read by two threads
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    // Only a 200 is read, on a thread of its own; other answers are left for the test to look at.
    private boolean hasReader() {
        return status() == 200;
    }

    private boolean awaitReaderEnd() {
        try {
            return ended.await(READER_END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void read() {
        SseParser parser = new SseParser(listener);
        byte[] buffer = new byte[8192];
        try (InputStream in = response.getEntity().getContent()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                parser.feed(buffer, 0, n);
            }
            parser.finish();
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            ended.countDown();
        }
    }
}
