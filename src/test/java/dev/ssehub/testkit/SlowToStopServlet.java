package dev.ssehub.testkit;

import jakarta.servlet.http.HttpServlet;

/**
 * A servlet that takes {@value #PARAM} ms to stop, as a webapp's other parts may: the container has begun to stop
 * the webapp (Tomcat then times out its async requests) well before ssehub's own listener is told.
 */
public final class SlowToStopServlet extends HttpServlet {

    /** The context-param that adds this servlet to the webapp, in ms; the test kit reads it, ssehub ignores it. */
    public static final String PARAM = "testkit.stopDelayMillis";

    @Override
    public void destroy() {
        long millis = Long.parseLong(getServletContext().getInitParameter(PARAM));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
