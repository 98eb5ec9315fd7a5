package dev.ssehub.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/** One scrape of ssehub's {@code GET /metrics} in the Prometheus text format: each sample's value by its name. */
record MetricsScrape(Map<String, Double> samples) {

    /** Scrapes {@code server} with the metrics token as a bearer token. */
    static MetricsScrape of(InetSocketAddress server, String token) throws IOException {
        try (HttpConnection connection = new HttpConnection(server)) {
            HttpConnection.Answer answer = connection.getForAnswer("/metrics", token);
            if (answer.status() != 200) {
                throw new IOException("GET /metrics answered " + answer.status() + ": " + answer.body());
            }
            return parse(answer.body());
        }
    }

    // "name{labels} value" a line; comments (# HELP, # TYPE) skipped.
    static MetricsScrape parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.isBlank() || line.startsWith("#") || space < 0) {
                continue;
            }
            samples.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
        }
        return new MetricsScrape(Map.copyOf(samples));
    }

    /** A sample by its name with labels as written, e.g. {@code ssehub_streams}; NaN when absent. */
    double value(String name) {
        return samples.getOrDefault(name, Double.NaN);
    }
}
