package dev.ssehub.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the webapp on this branch offers so far. The page and {@code POST /publish} are built on other branches;
 * their tests here are written against the agreed contract and run as soon as the feature is in webapp/.
 */
public final class WebappFeatures {

    private WebappFeatures() {
    }

    public static Path webappDirectory() {
        return Path.of(System.getProperty("ssehub.webapp", "webapp")).toAbsolutePath();
    }

    /** Whether the live page, webapp/index.html, is here. */
    public static boolean hasPage() {
        return Files.isRegularFile(webappDirectory().resolve("index.html"));
    }

    /** Whether web.xml maps {@code POST /publish} (it is metadata-complete, so every servlet is in it). */
    public static boolean hasPublish() {
        try {
            String webXml = Files.readString(webappDirectory().resolve("WEB-INF/web.xml"));
            return webXml.replaceAll("\\s", "").contains("<url-pattern>/publish</url-pattern>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void assumePage() {
        Assumptions.assumeTrue(hasPage(), "the page (webapp/index.html) has not landed on this branch yet");
    }

    public static void assumePublish() {
        Assumptions.assumeTrue(hasPublish(), "POST /publish is not mapped in web.xml on this branch yet");
    }
}
