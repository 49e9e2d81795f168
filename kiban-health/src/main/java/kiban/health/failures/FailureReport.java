package kiban.health.failures;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import kiban.core.io.AtomicFiles;

/**
 * One self-contained HTML page on a run: cross-validated accuracy of the network and the baselines
 * per problem, and each model's pooled confusion matrix, cells shaded by their share of the row.
 */
public final class FailureReport {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:14px;margin:10px 0 4px}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
            th{background:#f4f4f4}.grid{display:flex;flex-wrap:wrap;gap:18px}
            """;

    private FailureReport() {}

    /** Writes the page to {@code file} atomically. */
    public static void write(Path file, String title, FailureRun.Config config, List<ProblemResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>").append(STYLE).append("</style></head><body><h1>").append(escape(title)).append("</h1>");
        b.append("<p>Stratified ").append(config.folds()).append("-fold cross-validation, seed ").append(config.seed())
                .append("; accuracy is the mean &plusmn; standard deviation over the test folds. Features are standardised on "
                        + "each fold's training part only. Network: MLP ").append(config.mlp().hidden()).append(", ")
                .append(config.mlp().epochs()).append(" full-batch AdamW epochs (settings fixed a priori).</p>");
        b.append("<table><tr><th>problem</th><th>failures</th>");
        List<String> models = results.getFirst().scores().stream().map(ModelScore::model).toList();
        models.forEach(m -> b.append("<th>").append(escape(m)).append("</th>"));
        b.append("</tr>");
        for (ProblemResult r : results) {
            b.append("<tr><td style=\"text-align:left\">").append(r.problem().id()).append(" <small>")
                    .append(escape(r.problem().description())).append("</small></td><td>").append(r.instances()).append("</td>");
            r.scores().forEach(s -> b.append("<td>").append(percent(s.mean())).append(" &plusmn; ").append(percent(s.std()))
                    .append("</td>"));
            b.append("</tr>");
        }
        b.append("</table>");
        for (ProblemResult r : results) {
            b.append("<h2>").append(r.problem().id()).append(": ").append(escape(r.problem().description())).append("</h2>");
            b.append("<div class=\"grid\">");
            r.scores().forEach(s -> b.append("<div><h3>").append(escape(s.model())).append(": ").append(s.matrix().correct())
                    .append(" of ").append(s.matrix().total()).append(" correct (").append(percent(s.matrix().accuracy()))
                    .append(")</h3>")
                    .append(matrix(s.matrix())).append("</div>"));
            b.append("</div>");
        }
        b.append("<p><small>Rows are the true class, columns the predicted one; each instance is counted once, when its "
                + "fold was the test fold. Written by Kiban.</small></p></body></html>");
        Path parent = file.toAbsolutePath().getParent();
        AtomicFiles.writeString(file, b.toString(), parent.resolve(".staging"));
        try {
            java.nio.file.Files.deleteIfExists(parent.resolve(".staging"));
        } catch (java.io.IOException ignored) {
            // Not empty (another writer's files) or already gone: either way the report is written.
        }
    }

    private static String matrix(ConfusionMatrix m) {
        StringBuilder b = new StringBuilder("<table><tr><th>true \\ predicted</th>");
        m.labels().forEach(l -> b.append("<th>").append(escape(l)).append("</th>"));
        b.append("</tr>");
        for (int t = 0; t < m.labels().size(); t++) {
            long row = 0;
            for (int p = 0; p < m.labels().size(); p++) {
                row += m.count(t, p);
            }
            b.append("<tr><th>").append(escape(m.labels().get(t))).append("</th>");
            for (int p = 0; p < m.labels().size(); p++) {
                double share = row == 0 ? 0 : m.count(t, p) / (double) row;
                String colour = t == p ? "23,128,61" : "179,38,30";
                b.append(String.format(Locale.ROOT, "<td style=\"background:rgba(%s,%.2f)\">%d</td>", colour, 0.6 * share,
                        m.count(t, p)));
            }
            b.append("</tr>");
        }
        return b.append("</table>").toString();
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
