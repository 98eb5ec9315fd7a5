package dev.ssehub.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A raw HTTP/1.1 server on a loopback port that answers the n-th connection with the n-th exchange of its script,
 * byte for byte, then closes it. Connections beyond the script are closed at once without an answer. It records
 * every request head and when it came.
 */
final class ScriptedServer implements AutoCloseable {

    /** One connection's answer. Returning closes the connection. */
    @FunctionalInterface
    interface Exchange {
        void serve(Socket socket, OutputStream out) throws Exception;
    }

    record Request(String line, Map<String, String> headers, long nanos) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static final String STREAM_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";

    private final ServerSocket serverSocket;
    private final List<Exchange> script;
    private final List<Request> requests = new ArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final Thread acceptor;

    private ScriptedServer(List<Exchange> script) throws IOException {
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.acceptor = new Thread(this::accept, "scripted-server-accept");
        this.acceptor.setDaemon(true);
    }

    static ScriptedServer start(Exchange... script) throws IOException {
        ScriptedServer server = new ScriptedServer(List.of(script));
        server.acceptor.start();
        return server;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort() + pathAndQuery);
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The {@code n}-th request (1 for the first), waiting for it. */
    synchronized Request awaitRequest(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no request " + n + " within " + timeout + "; got " + requests.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return requests.get(n - 1);
    }

    @Override
    public void close() throws Exception {
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        acceptor.join(5000);
        List<Thread> handlers;
        synchronized (this) {
            handlers = List.copyOf(threads);
        }
        for (Thread thread : handlers) {
            thread.join(5000);
        }
    }

    // --- exchanges

    /** A 200 event stream whose body is {@code body}, in one write. */
    static Exchange stream(String body) {
        return (socket, out) -> {
            out.write(bytes(STREAM_HEAD + body));
            out.flush();
        };
    }

    /** A 200 event stream that sends {@code body} and then holds the connection until the client drops it. */
    static Exchange streamAndHold(String body) {
        return (socket, out) -> {
            stream(body).serve(socket, out);
            awaitClientClose(socket);
        };
    }

    /**
     * A 200 event stream in chunks that ends with its last chunk and keeps the connection open without answering
     * anything more on it, as a server or proxy may: a client that sends its next request there waits.
     */
    static Exchange chunkedStreamThenSilence(String body) {
        return (socket, out) -> {
            byte[] content = bytes(body);
            out.write(bytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(content.length) + "\r\n"));
            out.write(content);
            out.write(bytes("\r\n0\r\n\r\n"));
            out.flush();
            awaitClientClose(socket);
        };
    }

    /** Any answer with a body of known length. */
    static Exchange answer(String statusLine, String contentType, String body) {
        return (socket, out) -> {
            byte[] content = bytes(body);
            out.write(bytes("HTTP/1.1 " + statusLine + "\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n"));
            out.write(content);
            out.flush();
        };
    }

    /** 204 No Content: the server's way of saying "stop". */
    static Exchange noContent() {
        return (socket, out) -> {
            out.write(bytes("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"));
            out.flush();
        };
    }

    /** Closes the connection without an answer: a network error for the client. */
    static Exchange hangUp() {
        return (socket, out) -> {
        };
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Blocks until the client closes the connection (or the server is closed). */
    static void awaitClientClose(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // a client sends nothing more on a stream connection
            }
        } catch (IOException closed) {
            // reset by the client, or closed by ScriptedServer.close()
        }
    }

    // --- the server

    private void accept() {
        int index = 0;
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException closed) {
                return;
            }
            sockets.add(socket);
            Exchange exchange = index < script.size() ? script.get(index) : hangUp();
            index++;
            Thread handler = new Thread(() -> handle(socket, exchange), "scripted-server-" + index);
            handler.setDaemon(true);
            synchronized (this) {
                threads.add(handler);
            }
            handler.start();
        }
    }

    private void handle(Socket socket, Exchange exchange) {
        try (socket) {
            Request request = readHead(socket.getInputStream());
            synchronized (this) {
                requests.add(request);
                notifyAll();
            }
            exchange.serve(socket, socket.getOutputStream());
        } catch (Exception e) {
            // the client went away, or the server was closed: the test sees it from the client's side
        } finally {
            sockets.remove(socket);
        }
    }

    private static Request readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] sofar = head.toByteArray();
            int n = sofar.length;
            if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') {
                break;
            }
        }
        long nanos = System.nanoTime();
        String[] lines = head.toString(StandardCharsets.UTF_8).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Request(lines[0], headers, nanos);
    }
}
