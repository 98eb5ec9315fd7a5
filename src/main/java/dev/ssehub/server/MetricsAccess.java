package dev.ssehub.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Who may read what the metrics say: everyone with {@code ssehub.metricsPublic=true}, holders of
 * {@code ssehub.metricsToken} otherwise, and nobody when neither is set (404, so that a deployment shows nothing it
 * did not choose to show). {@code /metrics} and the status page's data share it.
 */
final class MetricsAccess {

    private final boolean open;
    private final BearerToken token;
    private final String offReason;

    /** {@code offReason} is the one line answered with 404 while neither setting is made. */
    MetricsAccess(Settings settings, String offReason) {
        this.open = settings.metricsPublic();
        this.token = settings.metricsToken() == null ? null : new BearerToken(settings.metricsToken());
        this.offReason = offReason;
    }

    /** Whether the request may read the metrics; when not, it has been answered 404 or 401 with the reason. */
    boolean admits(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (open) {
            return true;
        }
        if (token == null) {
            Responses.reject(response, HttpServletResponse.SC_NOT_FOUND, offReason);
            return false;
        }
        if (!token.matches(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ssehub metrics\"");
            Responses.reject(response, HttpServletResponse.SC_UNAUTHORIZED,
                    "send Authorization: Bearer <ssehub.metricsToken>");
            return false;
        }
        return true;
    }
}
