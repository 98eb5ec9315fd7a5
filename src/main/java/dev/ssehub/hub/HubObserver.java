package dev.ssehub.hub;

/** What the hub tells its observer (the metrics), on the threads that do the work; each call must be cheap. */
public interface HubObserver {

    /** How a reconnecting subscriber's replay went. */
    enum Replay { EXACT, PAGED, TOO_OLD, UNKNOWN, MALFORMED }

    /** Watches nothing. */
    HubObserver NONE = new HubObserver() {
        @Override
        public void published() {
        }

        @Override
        public void fannedOut(byte[] frame, int subscribers) {
        }

        @Override
        public void replayed(Replay result) {
        }
    };

    /** An event was published through this node: the log holds it. */
    void published();

    /** An event was offered to {@code subscribers} sinks on this node; {@code frame} is its encoded form. */
    void fannedOut(byte[] frame, int subscribers);

    /** A reconnecting subscriber was sent its replay, or told why not. */
    void replayed(Replay result);
}
