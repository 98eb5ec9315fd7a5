package dev.ssehub.server;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.logging.Logger;

/** Starts the hub, its threads and the ticker with the webapp, and stops all of them when it is undeployed. */
public final class HubLifecycle implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(HubLifecycle.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings;
        try {
            settings = Settings.load(context);
        } catch (IllegalArgumentException badSetting) {
            // In the server's main log too: Tomcat writes a failed listener only to its localhost log.
            LOG.severe("ssehub cannot start: " + badSetting.getMessage());
            throw badSetting;
        }
        context.setAttribute(HubRuntime.ATTRIBUTE, HubRuntime.start(settings));
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
