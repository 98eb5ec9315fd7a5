package dev.ssehub.server;

import java.util.Locale;

/** Why a stream ended, as the metrics count it. */
enum CloseReason {
    /** The client went away, or a write to it failed. */
    CLIENT_GONE,
    /** Its queue overflowed: it was dropped and replays when it reconnects. */
    TOO_SLOW,
    /** It was sent one page of a longer replay and comes back at once for the next. */
    REPLAY_PAGED,
    /** It reached {@code maxStreamAge} and was asked to reconnect. */
    ROTATED,
    /** The token it was opened with expired; the client comes back with a fresh one. */
    EXPIRED_AUTH,
    /** Turned away because every place was taken; it never became a stream. */
    OVERLOAD,
    /** The webapp stopped. */
    SHUTDOWN;

    /** The label value, {@code client_gone}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
