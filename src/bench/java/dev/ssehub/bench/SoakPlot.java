package dev.ssehub.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import static dev.ssehub.bench.SvgPlot.niceCeiling;
import static dev.ssehub.bench.SvgPlot.text;

/** The soak over time as a self-contained SVG: heap after GC on the left axis, streams held on the right. */
final class SoakPlot {

    private static final int WIDTH = 860;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 90;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final String HEAP_COLOUR = "#1f77b4";
    private static final String STREAMS_COLOUR = "#d62728";

    private final SystemKind kind;
    private final BenchConfig config;
    private final List<SoakScenario.Sample> samples;

    SoakPlot(SystemKind kind, BenchConfig config, List<SoakScenario.Sample> samples) {
        this.kind = kind;
        this.config = config;
        this.samples = List.copyOf(samples);
    }

    String render() {
        double maxMinutes = niceCeiling(samples.stream().mapToDouble(SoakScenario.Sample::minutes).max().orElse(1));
        double maxHeap = niceCeiling(samples.stream().mapToDouble(s -> s.heapBytes() / 1048576.0).max().orElse(1));
        double maxStreams = niceCeiling(samples.stream().mapToDouble(SoakScenario.Sample::held).max().orElse(1));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                        + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH,
                HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, LEFT, 24, "Soak, " + kind.id() + ": heap after GC and streams held over time",
                "font-size=\"15\" font-weight=\"bold\"");
        text(svg, LEFT, 42, String.format(Locale.ROOT, "%,d streams, %s events/s, %,d reconnects/s with "
                        + "Last-Event-ID; heap slope %s bytes/min", config.soakStreams(), Report.num(config.soakRate()),
                config.soakReconnectsPerSecond(), Report.num(SoakScenario.slope(samples))), "fill=\"#555\"");
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotHeight - plotHeight * i / 5.0;
            double x = LEFT + plotWidth * i / 5.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/>%n", LEFT, y, LEFT + plotWidth, y));
            text(svg, LEFT - 8, y + 4, Report.num(maxHeap * i / 5), "text-anchor=\"end\" fill=\"" + HEAP_COLOUR + "\"");
            text(svg, LEFT + plotWidth + 8, y + 4, String.format(Locale.ROOT, "%,.0f", maxStreams * i / 5),
                    "fill=\"" + STREAMS_COLOUR + "\"");
            text(svg, x, TOP + plotHeight + 18, Report.num(maxMinutes * i / 5), "text-anchor=\"middle\"");
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", LEFT, TOP, plotWidth, plotHeight));
        text(svg, LEFT + plotWidth / 2.0, HEIGHT - 16, "minutes", "text-anchor=\"middle\"");
        axisTitle(svg, 20, "heap after GC (MiB)", HEAP_COLOUR);
        axisTitle(svg, WIDTH - 12, "streams held", STREAMS_COLOUR);
        line(svg, s -> s.heapBytes() / 1048576.0 / maxHeap, maxMinutes, HEAP_COLOUR);
        line(svg, s -> s.held() / maxStreams, maxMinutes, STREAMS_COLOUR);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void axisTitle(StringBuilder svg, double x, String title, String colour) {
        double y = TOP + (HEIGHT - TOP - BOTTOM) / 2.0;
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-90 %.1f %.1f)\" "
                + "text-anchor=\"middle\" fill=\"%s\">%s</text>%n", x, y, x, y, colour, title));
    }

    // One line of samples, each value as a fraction of its axis.
    private void line(StringBuilder svg, ToDoubleFunction<SoakScenario.Sample> fraction, double maxMinutes,
                      String colour) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder points = new StringBuilder();
        for (SoakScenario.Sample s : samples) {
            double x = LEFT + plotWidth * s.minutes() / maxMinutes;
            double y = TOP + plotHeight - plotHeight * fraction.applyAsDouble(s);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
                    colour));
        }
        svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                + "stroke-width=\"2\"/>%n", points.toString().trim(), colour));
    }
}
