package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import kiban.core.json.Json;
import kiban.health.failures.FailureEvaluation;
import kiban.health.failures.FailureReport;
import kiban.health.failures.FailureRun;
import kiban.health.failures.HeldOutResult;
import kiban.health.failures.ModelScore;
import kiban.health.failures.ProblemResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiban health eval}: a failure-classifier run's cross-validated results, and its networks on other data. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Report a 'kiban health train' run per learning problem: cross-validated accuracy (mean \u00b1 std over "
                + "folds) of the network and the baselines, and the confusion matrices; with --data, also the trained networks' "
                + "accuracy and confusion matrix on that folder's files.")
final class HealthEvalCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "RUN", description = "A run folder of kiban health train.")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "DIR", description = "Classify the failures in this folder's lpN.data files with "
            + "the run's networks (files the run was trained on are marked as training data).")
    Path data;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write the HTML report here too (the run holds one, "
            + "report.html).")
    Path report;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Override
    public void run() {
        FailureRun run = new FailureRun(checkpoint);
        run.checkExists();
        FailureRun.Config config = run.readConfig();
        List<ProblemResult> results = run.readResults();
        List<HeldOutResult> heldOut = data == null ? List.of() : FailureEvaluation.classify(run, config, data);
        if (report != null) {
            FailureReport.write(report, "Failure classifiers of " + checkpoint, config, results);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = kiban.health.failures.FailureTraining.resultsJson(results).put("run", checkpoint.toString());
            if (data != null) {
                ArrayNode a = o.putArray("data");
                heldOut.forEach(h -> a.add(Json.object().put("problem", h.problem().id()).put("file", h.file().toString())
                        .put("training_data", h.trainingData()).put("accuracy", h.matrix().accuracy())
                        .put("failures", h.matrix().total()).set("confusion", h.matrix().toJson())));
            }
            out.println(Json.pretty(o));
            return;
        }
        print(out, results);
        for (HeldOutResult h : heldOut) {
            out.printf(Locale.ROOT, "%s on %s: accuracy %s (%d of %d)%s%n", h.problem().id(), h.file(), percent(h.matrix().accuracy()),
                    h.matrix().correct(), h.matrix().total(), h.trainingData()
                            ? " -- the file the network was trained on: a training figure, not an estimate for new failures" : "");
            out.print(indent(h.matrix().toText()));
        }
        if (report != null) {
            out.println("report written to " + report);
        }
    }

    /** Per problem: every model's accuracy over the folds, and the network's pooled confusion matrix. */
    static void print(PrintWriter out, List<ProblemResult> results) {
        for (ProblemResult r : results) {
            out.printf(Locale.ROOT, "%s (%s): %d failures, stratified %d-fold cross-validation, seed %d%n", r.problem().id(),
                    r.problem().description(), r.instances(), r.folds(), r.seed());
            for (ModelScore s : r.scores()) {
                out.printf(Locale.ROOT, "  %-9s accuracy %6s \u00b1 %5s over folds  (%d of %d correct)%n", s.model(),
                        percent(s.mean()), percent(s.std()), s.matrix().correct(), s.matrix().total());
            }
            ModelScore first = r.scores().getFirst();
            out.println("  confusion matrix of " + first.model() + " (rows true, columns predicted, all folds):");
            out.print(indent(first.matrix().toText()));
        }
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    }
}
