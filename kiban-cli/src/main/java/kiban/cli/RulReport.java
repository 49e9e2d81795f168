package kiban.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import kiban.eval.report.Series;
import kiban.eval.report.SvgPlot;
import kiban.health.cmapss.EngineUnit;
import kiban.health.rul.RulMetrics;
import kiban.policy.run.RunDirectory;

/** The HTML report of {@code kiban rul eval}: predicted against true RUL per test unit, and a table of them. */
final class RulReport {

    private RulReport() {}

    static void write(Path file, List<Path> runs, Path testFile, List<EngineUnit> units, int[] truth, int cap,
            double[] predicted, RulMetrics m) {
        Integer[] order = new Integer[units.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> Math.min(cap, truth[i])).thenComparingInt(i -> i));
        double[] x = new double[order.length];
        double[] yTrue = new double[order.length];
        double[] yPred = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            x[k] = k + 1;
            yTrue[k] = Math.min(cap, truth[order[k]]);
            yPred[k] = predicted[order[k]];
        }
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>RUL report</title>"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}</style></head><body>");
        b.append("<h1>Remaining useful life</h1><p>").append(escape(String.valueOf(testFile))).append(", ")
                .append(units.size()).append(" test units; model: ")
                .append(escape(String.join(", ", runs.stream().map(Path::toString).toList()))).append("</p>");
        b.append(String.format(Locale.ROOT, "<p><b>RMSE %.2f</b> cycles, <b>PHM08 score %.1f</b>, mean error %+.2f "
                + "(true RUL capped at %d; positive: predicted late)</p>", m.rmse(), m.score(), m.meanError(), cap));
        b.append(SvgPlot.lines("Predicted and true RUL per test unit (sorted by true RUL)", "test unit (by true RUL)",
                "RUL (cycles)", List.of(new Series("true", x, yTrue), new Series("predicted", x, yPred)), false));
        b.append("<table><tr><th>unit</th><th>cycles seen</th><th>true RUL</th><th>capped</th><th>predicted</th>"
                + "<th>error</th><th>score</th></tr>");
        for (int i = 0; i < units.size(); i++) {
            double t = Math.min(cap, truth[i]);
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%d</td><td>%.0f</td><td>%.1f</td>"
                    + "<td>%+.1f</td><td>%.2f</td></tr>", units.get(i).unit(), units.get(i).length(), truth[i], t,
                    predicted[i], predicted[i] - t, RulMetrics.score(predicted[i], t)));
        }
        b.append("</table></body></html>\n");
        RulCommand.ensureParent(file);
        RunDirectory.writeAtomically(file, b.toString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
