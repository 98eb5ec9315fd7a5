package dev.ssehub.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** The test client itself: closing a stream while its reader thread is busy must not fail the test that closes it. */
class SseConnectionTest {

    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNK = "c\r\ndata: tick\n\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ServerSocket server;
    private Thread acceptor;

    @BeforeEach
    void startEndlessStreamServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptForever, "endless-stream-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void closingWhileTheReaderIsReadingThrowsNothing() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stream");
        for (int i = 0; i < 300; i++) {
            SseConnection connection = SseConnection.open(uri);
            assertEquals(200, connection.status());
            assertDoesNotThrow(connection::close, "close number " + i);
            connection.awaitEnd(Duration.ofSeconds(5));
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread writer = new Thread(() -> writeEndlessly(socket), "endless-stream-writer");
                writer.setDaemon(true);
                writer.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Ignores the request and writes small chunks until the client drops the connection. */
    private static void writeEndlessly(Socket socket) {
        try (socket; OutputStream out = socket.getOutputStream()) {
            out.write(HEAD);
            while (true) {
                out.write(CHUNK);
            }
        } catch (IOException dropped) {
            // the client went away, as it should
        }
    }
}
