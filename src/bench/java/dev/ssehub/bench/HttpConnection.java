package dev.ssehub.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive connection, for the publisher: it sends a form POST (or a
 * GET, for a scrape of {@code /metrics}) and reads the answer's status and body (Content-Length or chunked).
 * Reconnects when the server closes. One thread
 * posts; another may {@link #abort} it.
 */
final class HttpConnection implements AutoCloseable {

    /** A status and the body as text. */
    record Answer(int status, String body) {
    }

    private final InetSocketAddress server;
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(InetSocketAddress server) {
        this.server = server;
    }

    /** POSTs a form body with a bearer token; returns the status. */
    int postForm(String path, String token, String formBody) throws IOException {
        return post(path, token, formBody, null);
    }

    /** POSTs a form body with a bearer token; returns the status and the body. */
    Answer postFormForAnswer(String path, String token, String formBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = post(path, token, formBody, body);
        return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    /** GETs a path with a bearer token; returns the status and the body. */
    Answer getForAnswer(String path, String token) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = send("GET " + path, token, "", null, body);
        return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    private int post(String path, String token, String formBody, ByteArrayOutputStream answerBody)
            throws IOException {
        byte[] body = formBody.getBytes(StandardCharsets.UTF_8);
        return send("POST " + path, token, "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length, body, answerBody);
    }

    // The answer's body goes to answerBody, or is skipped when it is null (the publisher's hot path).
    private int send(String methodAndPath, String token, String moreHeaders, byte[] body,
                     ByteArrayOutputStream answerBody) throws IOException {
        if (socket == null) {
            connect();
        }
        String head = methodAndPath + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAuthorization: Bearer " + token + moreHeaders + "\r\n\r\n";
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readResponse(answerBody);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Closes the socket from another thread: a post blocked on it fails at once. */
    void abort() {
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            socket = null;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 10_000);
        socket.setSoTimeout(120_000);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = socket.getOutputStream();
    }

    private int readResponse(ByteArrayOutputStream answerBody) throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        String line;
        while (!(line = readLine()).isEmpty()) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            long size;
            while ((size = Long.parseLong(readLine().split(";")[0].trim(), 16)) > 0) {
                skip(size, answerBody);
                readLine();
            }
            while (!readLine().isEmpty()) {
                // trailers
            }
        } else if (contentLength >= 0) {
            skip(contentLength, answerBody);
        } else {
            close = true; // close-delimited
        }
        if (close) {
            close();
        }
        return status;
    }

    private void skip(long n, ByteArrayOutputStream answerBody) throws IOException {
        for (long left = n; left > 0; left--) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed inside a body");
            }
            if (answerBody != null) {
                answerBody.write(b);
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
