package dev.ssehub.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /status/data}: what {@code status.html} shows, as JSON (see {@link StatusReport}). Behind the same
 * protection as {@code /metrics}: the metrics token, or none with {@code metricsPublic}; otherwise 404.
 */
public final class StatusServlet extends HttpServlet {

    private transient HubRuntime runtime;
    private transient MetricsAccess access;

    @Override
    public void init() {
        runtime = HubRuntime.of(getServletContext());
        access = new MetricsAccess(runtime.settings(),
                "the status page is off: set ssehub.metricsToken (or ssehub.metricsPublic=true) to serve it");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!access.admits(request, response)) {
            return;
        }
        Responses.startJson(response, HttpServletResponse.SC_OK);
        StatusReport.write(runtime, response.getOutputStream());
    }
}
