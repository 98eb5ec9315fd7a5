package dev.ssehub.server;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Starts the hub, its threads and the ticker with the webapp, and stops all of them when it is undeployed. */
public final class HubLifecycle implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        context.setAttribute(HubRuntime.ATTRIBUTE, HubRuntime.start(Settings.load(context)));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Object runtime = context.getAttribute(HubRuntime.ATTRIBUTE);
        context.removeAttribute(HubRuntime.ATTRIBUTE);
        if (runtime instanceof HubRuntime hubRuntime) {
            hubRuntime.stop();
        }
    }
}
