package dev.ssehub.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** p99 publish-to-receive latency against streams held, one line per system, as a self-contained SVG. */
final class SvgPlot {

    private static final int WIDTH = 860;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private final Machine machine;
    private final double rate;
    // One line per system and variant (a JVM, a round), named as the report's tables name it.
    private final Map<String, List<Result>> lines = new LinkedHashMap<>();

    SvgPlot(Machine machine, double rate, List<Result> ramp) {
        this.machine = machine;
        this.rate = rate;
        for (Result r : ramp) {
            if (r.hasLatency()) {
                String name = r.variant().isEmpty() ? r.system().id() : r.system().id() + " (" + r.variant() + ")";
                lines.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(r);
            }
        }
    }

    String render() {
        double maxStreams = niceCeiling(lines.values().stream().flatMap(List::stream).mapToDouble(Result::held)
                .max().orElse(1000));
        double maxP99 = niceCeiling(lines.values().stream().flatMap(List::stream).mapToDouble(Result::p99)
                .max().orElse(100));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, LEFT, 24, "p99 publish-to-receive latency against streams held (" + Report.num(rate)
                + " event/s to every stream)",
                "font-size=\"15\" font-weight=\"bold\"");
        text(svg, LEFT, 42, machine.date().toLocalDate() + " · " + machine.cores() + " cores, "
                + String.format(Locale.ROOT, "%.0f GiB", machine.memoryBytes() / (1024.0 * 1024 * 1024)) + ", Linux "
                + machine.kernel() + " · load before " + machine.loadBefore(), "fill=\"#555\"");
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotHeight - plotHeight * i / 5.0;
            double x = LEFT + plotWidth * i / 5.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + plotWidth, y));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP, x, TOP + plotHeight));
            text(svg, LEFT - 8, y + 4, Report.num(maxP99 * i / 5), "text-anchor=\"end\"");
            text(svg, x, TOP + plotHeight + 18, String.format(Locale.ROOT, "%,.0f", maxStreams * i / 5),
                    "text-anchor=\"middle\"");
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", LEFT, TOP, plotWidth, plotHeight));
        text(svg, LEFT + plotWidth / 2.0, HEIGHT - 16, "streams held", "text-anchor=\"middle\"");
        svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%.1f\" transform=\"rotate(-90 20 %.1f)\" "
                + "text-anchor=\"middle\">p99 latency (ms)</text>%n", TOP + plotHeight / 2.0, TOP + plotHeight / 2.0));
        int index = 0;
        for (Map.Entry<String, List<Result>> line : lines.entrySet()) {
            String colour = COLOURS[index % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (Result r : line.getValue()) {
                double x = LEFT + plotWidth * r.held() / maxStreams;
                double y = TOP + plotHeight - plotHeight * r.p99() / maxP99;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">"
                        + "<title>%s: %,d streams, p99 %s ms</title></circle>%n", x, y, colour, line.getKey(),
                        r.held(), Report.num(r.p99())));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", points.toString().trim(), colour));
            double legendY = TOP + 10 + index * 22;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", LEFT + plotWidth + 16, legendY, LEFT + plotWidth + 40, legendY, colour));
            text(svg, LEFT + plotWidth + 46, legendY + 4, line.getKey(), "");
            index++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    // 1, 2 or 5 times a power of ten, at least the value.
    static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-9))));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static void text(StringBuilder svg, double x, double y, String text, String attributes) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes,
                text.replace("&", "&amp;").replace("<", "&lt;")));
    }
}
