package kiban.eval.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import kiban.core.error.KibanException;
import kiban.eval.EpisodeRecord;
import kiban.eval.EvalResult;

/**
 * One HTML page on an evaluation: the headline figures with their confidence interval, training
 * curves where the run logged them, one row per episode, action traces and rollout animations.
 */
public final class EvalReport {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
            th{background:#f4f4f4}.ok{color:#17803d}.fail{color:#b3261e}
            .figures span{display:inline-block;margin-right:28px}.figures b{font-size:20px}
            .grid{display:flex;flex-wrap:wrap;gap:12px}.grid figure{margin:0}figcaption{font-size:12px;text-align:center}
            """;

    private EvalReport() {}

    /**
     * Writes the report.
     *
     * @param title a line naming what was evaluated (checkpoint, env)
     * @param curves training curves to plot, empty where there are none
     */
    public static void write(Path file, String title, EvalResult result, List<Series> curves) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(title)).append("</title><style>").append(STYLE).append("</style></head><body>");
        b.append("<h1>").append(Html.escape(title)).append("</h1>");
        double[] ci = result.successInterval();
        b.append("<p class=\"figures\">")
                .append(figure("success rate", String.format(Locale.ROOT, "%.2f", result.successRate())
                        + String.format(Locale.ROOT, " <small>(95%% CI %.2f&ndash;%.2f)</small>", ci[0], ci[1])))
                .append(figure("mean score", String.format(Locale.ROOT, "%.3f", result.meanScore())))
                .append(figure("episodes", result.episodes().size() + " <small>(seeds " + result.firstSeed() + "&ndash;"
                        + (result.firstSeed() + result.episodes().size() - 1) + ")</small>"))
                .append(figure("mean length", String.format(Locale.ROOT, "%.1f steps", result.meanLength())))
                .append("</p>");
        Map<String, EvalResult.TaskSuccess> perTask = result.successPerTask();
        if (perTask.size() > 1) {
            b.append("<h2>Tasks</h2><table><tr><th>task</th><th>episodes</th><th>success rate</th><th>95% CI</th></tr>");
            perTask.forEach((task, t) -> b.append("<tr><td>").append(Html.escape(task)).append("</td><td>").append(t.episodes())
                    .append(String.format(Locale.ROOT, "</td><td>%.2f</td><td>%.2f&ndash;%.2f</td></tr>", t.rate(),
                            t.interval()[0], t.interval()[1])));
            b.append("</table>");
        }
        if (!result.metrics().isEmpty()) {
            b.append("<p>");
            result.metrics().forEach((k, v) -> b.append(Html.escape(k.replace('_', ' '))).append(": <b>")
                    .append(number(v)).append("</b> &nbsp; "));
            b.append("</p>");
        }
        if (!curves.isEmpty()) {
            b.append("<h2>Training</h2>");
            b.append(SvgPlot.lines("loss", "step", "loss", curves, true));
        }
        animations(b, result);
        traces(b, result);
        episodes(b, result);
        b.append("<p><small>Score is the largest per-step reward of an episode (the Diffusion Policy metric); the "
                + "interval is Wilson's. Written by Kiban.</small></p></body></html>");
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new KibanException(file + ": cannot write the report: " + e.getMessage(), e);
        }
    }

    private static String figure(String label, String value) {
        return "<span>" + Html.escape(label) + "<br><b>" + value + "</b></span>";
    }

    private static void animations(StringBuilder b, EvalResult result) {
        List<EpisodeRecord> shown = result.episodes().stream().filter(e -> e.animation() != null).toList();
        if (shown.isEmpty()) {
            return;
        }
        b.append("<h2>Rollouts</h2><div class=\"grid\">");
        for (EpisodeRecord e : shown) {
            b.append("<figure><img alt=\"rollout of seed ").append(e.seed()).append("\" src=\"data:image/gif;base64,")
                    .append(Base64.getEncoder().encodeToString(e.animation())).append("\"><figcaption>seed ")
                    .append(e.seed()).append(e.success() ? " &#10003;" : " &#10007;")
                    .append(String.format(Locale.ROOT, " score %.2f", e.score())).append("</figcaption></figure>");
        }
        b.append("</div>");
    }

    private static void traces(StringBuilder b, EvalResult result) {
        List<EpisodeRecord> shown = result.episodes().stream().filter(e -> e.actions() != null).toList();
        if (shown.isEmpty()) {
            return;
        }
        b.append("<h2>Action traces</h2><div class=\"grid\">");
        for (EpisodeRecord e : shown) {
            List<Series> series = new ArrayList<>();
            for (int d = 0; d < result.actionNames().size(); d++) {
                double[] x = new double[e.actions().length];
                double[] y = new double[e.actions().length];
                for (int t = 0; t < x.length; t++) {
                    x[t] = t;
                    y[t] = e.actions()[t][d];
                }
                series.add(new Series(result.actionNames().get(d), x, y));
            }
            b.append(SvgPlot.lines("seed " + e.seed(), "step", "action", series, false));
        }
        b.append("</div>");
    }

    private static void episodes(StringBuilder b, EvalResult result) {
        List<String> keys = new ArrayList<>(result.metrics().keySet());
        boolean tasks = result.successPerTask().size() > 1;
        b.append("<h2>Episodes</h2><table><tr><th>seed</th>").append(tasks ? "<th>task</th>" : "")
                .append("<th>success</th><th>score</th><th>return</th><th>length</th>");
        keys.forEach(k -> b.append("<th>").append(Html.escape(k)).append("</th>"));
        b.append("</tr>");
        for (EpisodeRecord e : result.episodes()) {
            b.append("<tr><td>").append(e.seed()).append(tasks ? "</td><td>" + Html.escape(e.task()) : "")
                    .append("</td><td class=\"").append(e.success() ? "ok\">yes" : "fail\">no")
                    .append("</td>").append(String.format(Locale.ROOT, "<td>%.3f</td><td>%.2f</td><td>%d</td>",
                            e.score(), e.totalReward(), e.length()));
            for (String k : keys) {
                Double v = e.metrics().get(k);
                b.append("<td>").append(v == null ? "" : number(v)).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</table>");
    }

    /** A metric as people read it: a whole number (a count) without decimals, others to 4 significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    /** Reads {@code step} against each named column of a metrics CSV (as training writes it). */
    public static List<Series> curvesFromCsv(Path csv, String... columns) {
        if (!Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty()) {
                return List.of();
            }
            List<String> header = List.of(lines.getFirst().split(","));
            List<Series> out = new ArrayList<>();
            for (String c : columns) {
                int col = header.indexOf(c);
                if (col < 0) {
                    continue;
                }
                List<double[]> points = new ArrayList<>();
                for (String line : lines.subList(1, lines.size())) {
                    String[] parts = line.split(",", -1);
                    if (parts.length > col && !parts[col].isEmpty() && !parts[0].isEmpty()) {
                        points.add(new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[col])});
                    }
                }
                out.add(new Series(c.replace('_', ' '), points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray()));
            }
            return out;
        } catch (IOException | NumberFormatException e) {
            throw new KibanException(csv + ": cannot read training metrics: " + e.getMessage(), e);
        }
    }
}
