package dev.ssehub.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /health/live} (the webapp runs: 200) and {@code GET /health/ready} (it should get new clients: 200;
 * 503 while it stops, or while its shared event log is out of reach). Small JSON, never cached, no token: a load
 * balancer asks.
 */
public final class HealthServlet extends HttpServlet {

    private transient HubRuntime runtime;

    @Override
    public void init() {
        runtime = HubRuntime.of(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if ("/live".equals(path)) {
            Responses.json(response, HttpServletResponse.SC_OK, "{\"status\":\"live\"}");
        } else if ("/ready".equals(path)) {
            String notReady = runtime.readiness();
            if (notReady == null) {
                Responses.json(response, HttpServletResponse.SC_OK,
                        "{\"status\":\"ready\",\"streams\":" + runtime.admission().openStreams() + "}");
            } else {
                Responses.json(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                        "{\"status\":\"not ready\",\"reason\":\"" + notReady + "\"}");
            }
        } else {
            Responses.reject(response, HttpServletResponse.SC_NOT_FOUND, "use /health/live or /health/ready");
        }
    }
}
