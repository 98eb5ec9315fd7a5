package dev.ssehub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The JVM a server runs on: a Java installation and a collector, named like {@code 25-zgc}; {@code default} is the
 * benchmark's own Java with its default collector (G1). The JDKs are looked up under {@code /usr/lib/jvm}.
 */
record ServerJvm(String name, Path java, List<String> options) {

    static final ServerJvm DEFAULT = new ServerJvm("default",
            Path.of(System.getProperty("java.home"), "bin", "java"), List.of());

    static ServerJvm of(String name) throws IOException {
        if (name.equals(DEFAULT.name())) {
            return DEFAULT;
        }
        String[] versionAndCollector = name.split("-", 2);
        if (versionAndCollector.length != 2) {
            throw new IllegalArgumentException("a JVM is <feature version>-<g1|parallel|zgc>, not " + name);
        }
        int version = Integer.parseInt(versionAndCollector[0]);
        List<String> collector = switch (versionAndCollector[1].toLowerCase(Locale.ROOT)) {
            case "g1" -> List.of("-XX:+UseG1GC");
            case "parallel" -> List.of("-XX:+UseParallelGC");
            // Generational ZGC came in 21 (behind -XX:+ZGenerational until 23, the only mode from 24); 17 has
            // only the single-generation one.
            case "zgc" -> version >= 21 && version < 24 ? List.of("-XX:+UseZGC", "-XX:+ZGenerational")
                    : List.of("-XX:+UseZGC");
            default -> throw new IllegalArgumentException("unknown collector in " + name + ": g1, parallel or zgc");
        };
        return new ServerJvm(name, javaOf(version), collector);
    }

    /** How the report names it: {@code Java 25, ZGC}; empty for the default. */
    String label() {
        if (this == DEFAULT) {
            return "";
        }
        String collector = switch (name.substring(name.indexOf('-') + 1).toLowerCase(Locale.ROOT)) {
            case "g1" -> "G1";
            case "parallel" -> "Parallel";
            default -> Integer.parseInt(name.substring(0, name.indexOf('-'))) >= 21 ? "generational ZGC"
                    : "ZGC (single generation)";
        };
        return "Java " + name.substring(0, name.indexOf('-')) + ", " + collector;
    }

    private static Path javaOf(int version) throws IOException {
        Path own = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Runtime.version().feature() == version) {
            return own;
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> jdk.getFileName().toString().matches("(?i).*\\D" + version + "(\\D.*|)"))
                    .map(jdk -> jdk.resolve("bin/java")).filter(Files::isExecutable).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no Java " + version + " under /usr/lib/jvm"));
        }
    }
}
