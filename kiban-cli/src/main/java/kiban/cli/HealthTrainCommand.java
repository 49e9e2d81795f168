package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.health.failures.CrossValidation;
import kiban.health.failures.FailureDataset;
import kiban.health.failures.FailureRun;
import kiban.health.failures.FailureTraining;
import kiban.health.failures.LearningProblem;
import kiban.health.failures.MlpSettings;
import kiban.health.failures.ProblemResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiban health train}: cross-validated failure classifiers, then the networks trained on all failures. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Cross-validate a failure classifier (a small network, beside a 3-nearest-neighbour and a majority-class "
                + "baseline on the same stratified folds) per learning problem of UCI's Robot Execution Failures data, then "
                + "train the network on every failure and write a run folder (checkpoint, normalisation, config, CV results, "
                + "report.html).")
final class HealthTrainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "The folder of lp1.data..lp5.data (e.g. ../shared/data/uci-robot-execution-failures).")
    Path data;

    @Option(names = "--problem", defaultValue = "all", paramLabel = "lp1..lp5|all",
            description = "The learning problem, or all five (default: ${DEFAULT-VALUE}).")
    String problem;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run folder to write: a new or empty folder.")
    Path out;

    @Option(names = "--folds", defaultValue = "" + CrossValidation.DEFAULT_FOLDS, paramLabel = "K",
            description = "Stratified cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the fold assignment and the networks' initialisation "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the results as one JSON object (and no progress bar).")
    boolean json;

    @Override
    public void run() {
        List<LearningProblem> problems = LearningProblem.parse(problem);
        List<FailureDataset> sets = FailureTraining.read(data, problems, folds);
        List<ProblemResult> results;
        try (Progress progress = Progress.start("health train", "fits", (long) problems.size() * (folds + 1), !json)) {
            results = FailureTraining.train(data, sets, folds, seed, MlpSettings.DEFAULT, out, progress);
        }
        if (json) {
            ObjectNode o = FailureTraining.resultsJson(results).put("run", out.toString())
                    .put("report", new FailureRun(out).report().toString());
            spec.commandLine().getOut().println(Json.pretty(o));
        } else {
            HealthEvalCommand.print(spec.commandLine().getOut(), results);
            spec.commandLine().getOut().println("run written to " + out + " (per problem a network trained on every failure; "
                    + "config.json, cv.json, report.html)");
        }
    }
}
