package dev.ssehub.server;

/** A request refused with an error status and a one-line reason; nothing was done on its behalf. */
final class Rejection extends Exception {

    private final int status;

    Rejection(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
