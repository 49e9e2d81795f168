package kiban.cli;

import java.nio.file.Path;
import java.util.Locale;
import kiban.core.io.AtomicFiles;
import kiban.health.cell.Covariate;

/**
 * The maintenance study as one self-contained HTML page: the table of the four policies with
 * their 95% intervals, downtime drawn as bars with whiskers, and the model choice.
 */
final class MaintenanceReport {

    private MaintenanceReport() {}

    static void write(Path file, CellMaintenanceStudy.Outcome o, SeedRange train, SeedRange validation, SeedRange test) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Maintenance in the factory cell</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child,th:first-child{text-align:left}")
                .append("</style></head><body><h1>Maintenance in the factory cell</h1>");
        h.append("<p>Test seeds ").append(test).append(" (").append(test.count()).append(" episodes of five days); model fitted on ")
                .append("run-to-failure seeds ").append(train).append(", covariates chosen on seeds ").append(validation)
                .append(", interval and limit tuned on seeds ").append(train).append(". Means with 95% intervals.</p>");
        h.append("<table><tr><th>policy</th><th>setting</th><th>downtime</th><th>throughput (parts/h)</th><th>OEE</th>")
                .append("<th>failures</th><th>maintenances</th></tr>");
        for (var p : o.test()) {
            h.append("<tr><td>").append(escape(p.name())).append("</td><td>").append(escape(p.setting())).append("</td>");
            for (String key : new String[] {"downtime_fraction", "throughput", "oee", "failures", "maintenances"}) {
                MeanInterval m = p.metric(key);
                h.append("<td>").append(String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", m.mean(), m.low(), m.high())).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        h.append(downtimeBars(o));
        MeanInterval gain = HealthMaintenanceCommand.downtimeGain(o);
        h.append(String.format(Locale.ROOT, "<p>Predictive minus condition-based downtime, paired by seed: %+.4f [%+.4f, %+.4f]</p>",
                gain.mean(), gain.low(), gain.high()));
        h.append("<h2>Hazard model</h2><table><tr><th>covariates</th><th>train log-likelihood</th><th>validation log-likelihood</th>")
                .append("<th>validation failures expected / seen</th></tr>");
        for (var c : o.candidates()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.6f</td><td>%.6f</td><td>%.1f / %d</td></tr>",
                    escape(Covariate.join(c.covariates())), c.trainLogLik(), c.validationLogLik(), c.validationExpected(),
                    c.validationFailures()));
        }
        h.append("</table></body></html>\n");
        Path parent = file.toAbsolutePath().getParent();
        AtomicFiles.writeString(file, h.toString(), parent.resolve(".staging"));
    }

    /** Horizontal bars of mean downtime with the 95% interval as a whisker. */
    private static String downtimeBars(CellMaintenanceStudy.Outcome o) {
        double max = o.test().stream().mapToDouble(p -> p.metric("downtime_fraction").high()).max().orElse(1) * 1.1;
        int row = 28;
        int width = 640;
        int left = 140;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<h2>Downtime</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"12\">",
                width, row * o.test().size() + 10));
        int y = 5;
        for (var p : o.test()) {
            MeanInterval m = p.metric("downtime_fraction");
            double scale = (width - left - 60) / max;
            s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>", y + 16, escape(p.name())));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>", left, y,
                    m.mean() * scale, p.name().equals("predictive") ? "#2a7" : "#79b"));
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\"/>", left + m.low() * scale,
                    left + m.high() * scale, y + 9, y + 9));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.4f</text>", left + m.high() * scale + 4, y + 14, m.mean()));
            y += row;
        }
        return s.append("</svg>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
