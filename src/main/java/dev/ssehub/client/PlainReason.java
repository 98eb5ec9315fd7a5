package dev.ssehub.client;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Why a connection failed, in the words of a person rather than of the HTTP library ("CRLF expected ..."). */
final class PlainReason {

    private PlainReason() {
    }

    /** True when no connection was made at all: refused, unknown host, no route, or connecting timed out. */
    static boolean beforeConnecting(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof ConnectException || e instanceof UnknownHostException
                    || e instanceof NoRouteToHostException || e instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String of(Throwable error) {
        if (error instanceof EOFException) {
            return "the server ended the stream";
        }
        Throwable root = error;
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof UnknownHostException) {
                return "unknown host " + e.getMessage();
            }
            if (e instanceof ConnectException) {
                return "connection refused"; // httpclient's message repeats the URL
            }
            if (e instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (e instanceof ConnectTimeoutException) {
                return "connecting timed out";
            }
            if (e instanceof NoHttpResponseException) {
                return "the server closed the connection without an answer";
            }
            if (e instanceof SocketTimeoutException) {
                return "the server went silent (read timeout)";
            }
            // A chunk cut short or garbled, a body ended early, a reset: the connection broke under the stream.
            if (e instanceof MalformedChunkCodingException || e instanceof ConnectionClosedException
                    || e instanceof SocketException) {
                return "the connection broke";
            }
            root = e;
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
