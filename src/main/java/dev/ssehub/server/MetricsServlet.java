package dev.ssehub.server;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the scraper asks for it. Not public by
 * default: with {@code ssehub.metricsToken} it needs that bearer token, with {@code ssehub.metricsPublic=true} none;
 * with neither it answers 404, so that a deployment shows nothing it did not choose to show.
 */
public final class MetricsServlet extends HttpServlet {

    private transient HubRuntime runtime;
    private transient MetricsAccess access;
    private transient ExpositionFormats formats;

    @Override
    public void init() {
        runtime = HubRuntime.of(getServletContext());
        access = new MetricsAccess(runtime.settings(),
                "metrics are off: set ssehub.metricsToken (or ssehub.metricsPublic=true) to serve them");
        formats = ExpositionFormats.init();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!access.admits(request, response)) {
            return;
        }
        ExpositionFormatWriter writer = writerFor(request.getHeader("Accept"));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(writer.getContentType());
        response.setHeader("Cache-Control", "no-store");
        writer.write(response.getOutputStream(), runtime.metrics().registry().scrape());
    }

    // OpenMetrics only for a scraper that asks for it (Prometheus does); the classic text format for everyone else.
    private ExpositionFormatWriter writerFor(String accept) {
        if (accept != null && accept.contains("application/openmetrics-text")) {
            return formats.getOpenMetricsTextFormatWriter();
        }
        return formats.getPrometheusTextFormatWriter();
    }
}
