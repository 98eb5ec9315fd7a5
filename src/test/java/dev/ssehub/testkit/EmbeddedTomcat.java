package dev.ssehub.testkit;

import jakarta.servlet.ServletContext;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Embedded Tomcat 11 serving the webapp directory with the test classpath as its classes. */
final class EmbeddedTomcat implements ServletContainer {

    private final Tomcat tomcat;
    private final Context context;
    private int port;

    private EmbeddedTomcat(Tomcat tomcat, Context context) {
        this.tomcat = tomcat;
        this.context = context;
    }

    /** {@code maxThreads} 0 keeps Tomcat's default pool (200 threads); its acceptor and poller are not in it. */
    static EmbeddedTomcat start(Path webappDir, String contextPath, Map<String, String> params, int maxThreads)
            throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("ssehub-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        // Unbind on stop, so that stopConnector refuses connections as a stopped server does instead of leaving
        // them waiting in the accept queue of a socket that is still bound.
        connector.setProperty("bindOnInit", "false");
        if (params.containsKey(REQUEST_HEADER_SIZE)) {
            connector.setProperty("maxHttpRequestHeaderSize", params.get(REQUEST_HEADER_SIZE));
        }
        if (maxThreads > 0) {
            connector.setProperty("maxThreads", Integer.toString(maxThreads));
            connector.setProperty("minSpareThreads", Integer.toString(Math.min(2, maxThreads)));
        }
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        // Tomcat's default web.xml would add a JSP servlet, and Jasper is not on the test classpath.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp(contextPath, webappDir.toString());
        Wrapper defaultServlet = context.createWrapper();
        defaultServlet.setName("default");
        defaultServlet.setServletClass(DefaultServlet.class.getName());
        context.addChild(defaultServlet);
        context.addServletMappingDecoded("/", "default");
        if (params.containsKey(SlowToStopServlet.PARAM)) {
            Wrapper slow = context.createWrapper();
            slow.setName("slow-to-stop");
            slow.setServletClass(SlowToStopServlet.class.getName());
            slow.setLoadOnStartup(1); // destroy() runs only for a servlet that was loaded
            context.addChild(slow);
        }
        Tomcat.addDefaultMimeTypeMappings(context);
        // The test classpath holds no web fragments; scanning it only costs start-up time.
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        params.forEach(context::addParameter);
        ((org.apache.catalina.core.StandardContext) context).setUnloadDelay(100);
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            tomcat.stop();
            tomcat.destroy();
            throw new IOException("the ssehub webapp failed to start in Tomcat");
        }
        EmbeddedTomcat embedded = new EmbeddedTomcat(tomcat, context);
        embedded.port = connector.getLocalPort();
        return embedded;
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + context.getPath() + "/");
    }

    @Override
    public ServletContext servletContext() {
        return context.getServletContext();
    }

    @Override
    public void stopWebapp() throws Exception {
        context.stop();
    }

    @Override
    public void stopConnector() throws Exception {
        tomcat.getConnector().stop();
    }

    @Override
    public void startConnector() throws Exception {
        tomcat.getConnector().setPort(port); // the port it had, not a new one for port 0
        tomcat.getConnector().start();
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
