package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;

import java.lang.System.Logger.Level;

/** Keeps a listener's exceptions out of the reading loop: they are logged, and the stream goes on. */
final class GuardedListener implements EventSourceListener {

    private static final System.Logger LOG = System.getLogger(EventSourceClient.class.getName());

    private final EventSourceListener listener;

    GuardedListener(EventSourceListener listener) {
        this.listener = listener;
    }

    @Override
    public void onOpen() {
        try {
            listener.onOpen();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "EventSourceListener.onOpen threw", e);
        }
    }

    @Override
    public void onEvent(SseEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "EventSourceListener.onEvent threw", e);
        }
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
        try {
            listener.onError(error, willRetry);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "EventSourceListener.onError threw", e);
        }
    }

    @Override
    public void onClosed() {
        try {
            listener.onClosed();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "EventSourceListener.onClosed threw", e);
        }
    }
}
