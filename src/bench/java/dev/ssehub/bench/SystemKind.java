package dev.ssehub.bench;

import java.util.Arrays;

/** The systems the benchmark can measure, each served by its own process. */
enum SystemKind {

    SSEHUB_JETTY("ssehub-jetty", "ssehub WAR in embedded Jetty 12.1.8 (default connector)", true),
    SSEHUB_JETTY_HOME("ssehub-jetty-home", "ssehub WAR in the jetty-home 12.1.8 distribution (http, ee10-deploy)",
            true),
    SSEHUB_TOMCAT("ssehub-tomcat", "ssehub WAR in embedded Tomcat 11.0.14, recommended connector settings", true),
    SSEHUB_TOMCAT_HOME("ssehub-tomcat-home", "ssehub WAR in the Tomcat 11.0.14 distribution, recommended connector "
            + "settings in server.xml", true),
    SSEHUB_TOMCAT_DEFAULT("ssehub-tomcat-default", "ssehub WAR in embedded Tomcat 11.0.14, stock connector", true),
    JETTY_EVENTSOURCE("jetty-eventsource", "Jetty 12.1.8 EventSourceServlet, broadcast loop over emitters", true),
    JETTY_EVENTSOURCE_HOME("jetty-eventsource-home", "the same as a WAR in the jetty-home 12.1.8 distribution",
            true),
    NIO_FLOOR("nio-floor", "bare NIO loop writing the same bytes to every socket (the floor)", true),
    FLASK("flask", "the original Flask example, thread per client (Debian python3-flask)", false);

    private final String id;
    private final String description;
    private final boolean publishes;

    SystemKind(String id, String description, boolean publishes) {
        this.id = id;
        this.description = description;
        this.publishes = publishes;
    }

    String id() {
        return id;
    }

    String description() {
        return description;
    }

    /** Whether it has a publish endpoint; without one (Flask) latency does not apply. */
    boolean publishes() {
        return publishes;
    }

    boolean isSsehub() {
        return id.startsWith("ssehub");
    }

    /** Whether it runs as a WAR in an unpacked container distribution rather than embedded. */
    boolean isDistribution() {
        return id.endsWith("-home");
    }

    static SystemKind of(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown system '" + id + "', expected one of "
                        + Arrays.stream(values()).map(SystemKind::id).toList()));
    }
}
