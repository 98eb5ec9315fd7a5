package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.ServletContainer;

/** The hub of a webapp running in a test container, for tests outside this package that publish to it. */
public final class RunningHub {

    private RunningHub() {
    }

    public static Hub of(ServletContainer container) {
        return HubRuntime.of(container.servletContext()).hub();
    }
}
