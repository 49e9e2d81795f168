package kiban.eval.report;

import java.util.List;
import java.util.Locale;

/** Line plots as inline SVG, with axes, ticks and a legend. */
public final class SvgPlot {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};
    private static final int WIDTH = 520;
    private static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private SvgPlot() {}

    public static String lines(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double y = transform(s.y()[i], logY);
                if (Double.isFinite(y)) {
                    minX = Math.min(minX, s.x()[i]);
                    maxX = Math.max(maxX, s.x()[i]);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        b.append(text(WIDTH / 2.0, 16, title, "middle", "bold"));
        if (!Double.isFinite(minX)) {
            b.append(text(WIDTH / 2.0, HEIGHT / 2.0, "no data", "middle", "normal")).append("</svg>");
            return b.toString();
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + 1;
            minY = minY - 1;
        }
        double pw = WIDTH - LEFT - RIGHT;
        double ph = HEIGHT - TOP - BOTTOM;
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>",
                LEFT, TOP, pw, ph));
        for (int t = 0; t <= 4; t++) {
            double fx = minX + (maxX - minX) * t / 4;
            double fy = minY + (maxY - minY) * t / 4;
            double px = LEFT + pw * t / 4;
            double py = TOP + ph - ph * t / 4;
            b.append(text(px, TOP + ph + 14, tick(fx, false, maxX - minX), "middle", "normal"));
            b.append(text(LEFT - 4, py + 4, tick(fy, logY, logY ? 0 : maxY - minY), "end", "normal"));
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>",
                    LEFT, LEFT + pw, py, py));
        }
        b.append(text(LEFT + pw / 2, HEIGHT - 6, xLabel, "middle", "normal"));
        b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 12 %.1f)\">%s</text>", TOP + ph / 2, TOP + ph / 2, Html.escape(yLabel)));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                double y = transform(s.y()[i], logY);
                if (!Double.isFinite(y)) {
                    continue;
                }
                double px = LEFT + pw * (s.x()[i] - minX) / (maxX - minX);
                double py = TOP + ph - ph * (y - minY) / (maxY - minY);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                    .append(points.toString().strip()).append("\"/>");
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>",
                    LEFT + 8 + 120.0 * k, TOP + 6, colour));
            b.append(text(LEFT + 22 + 120.0 * k, TOP + 11, s.name(), "start", "normal"));
        }
        return b.append("</svg>").toString();
    }

    private static double transform(double y, boolean log) {
        return log ? (y > 0 ? Math.log10(y) : Double.NaN) : y;
    }

    /** A tick label: whole numbers on axes spanning 10 or more, else two decimals, or exponents for extremes. */
    private static String tick(double v, boolean log, double span) {
        double value = log ? Math.pow(10, v) : v;
        double a = Math.abs(value);
        if (a != 0 && (a < 1e-2 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.1e", value);
        }
        return String.format(Locale.ROOT, span >= 10 || a >= 100 ? "%.0f" : "%.2f", value);
    }

    private static String text(double x, double y, String s, String anchor, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\" font-weight=\"%s\">%s</text>",
                x, y, anchor, weight, Html.escape(s));
    }
}
