package dev.ssehub.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build of ssehub says it is, from a resource Maven writes; "unknown" when it is missing. */
final class Version {

    private Version() {
    }

    static String current() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version; // read from sources that Maven did not filter
        } catch (IOException e) {
            return "unknown";
        }
    }
}
