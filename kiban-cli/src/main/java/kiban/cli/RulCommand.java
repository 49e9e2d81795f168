package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.health.cmapss.CmapssReader;
import kiban.health.cmapss.EngineUnit;
import kiban.health.rul.RulConfig;
import kiban.health.rul.RulMetrics;
import kiban.health.rul.RulModel;
import kiban.health.rul.RulModelType;
import kiban.health.rul.RulTrainer;
import kiban.policy.run.RunDirectory;
import kiban.policy.train.PolicyTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiban rul}: remaining-useful-life models on NASA's C-MAPSS turbofan data (docs/HEALTH.md). */
@Command(name = "rul", mixinStandardHelpOptions = true,
        description = "Remaining useful life on NASA C-MAPSS: train a network, evaluate it on the test units.",
        subcommands = {RulCommand.TrainRul.class, RulCommand.EvalRul.class})
final class RulCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String checkSubset(String subset) {
        if (!subset.matches("FD00[1-4]")) {
            throw new InvalidInputException("--subset", "", "one of FD001, FD002, FD003, FD004", "'" + subset + "'");
        }
        return subset;
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a RUL network on DIR/train_SUBSET.txt, holding out training units for early stopping.")
    static final class TrainRul implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The C-MAPSS folder (train_FD001.txt, ...).")
        Path data;

        @Option(names = "--subset", defaultValue = "FD001", description = "FD001 to FD004 (default: ${DEFAULT-VALUE}).")
        String subset;

        @Option(names = "--out", required = true, paramLabel = "RUN", description = "A new or empty run folder.")
        Path out;

        @Option(names = "--model", description = "lstm, cnn, dcnn, transformer or linear (default: lstm, or the config file's).")
        String model;

        @Option(names = "--seed", description = "Seed of the weights and the batch order (default: 0, or the config file's).")
        Long seed;

        @Option(names = "--epochs", description = "Most epochs (default: 80, or the config file's).")
        Integer epochs;

        @Option(names = "--config", paramLabel = "FILE.json", description = "RUL training config (the fields of a run's "
                + "config.json, each optional); the flags override it.")
        Path config;

        @Option(names = "--final", description = "Hold no units out (validation_units 0): train on every training unit "
                + "for exactly the epochs given, the last epoch being the model; choose those epochs on a run that held "
                + "units out.")
        boolean finalRun;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public void run() {
            PolicyTrainer.checkRunFolder(new RunDirectory(out), false);
            RulConfig cfg = RulConfig.defaults(model == null ? RulModelType.LSTM : RulModelType.parse(model, "--model"));
            if (config != null) {
                cfg = RulConfig.read(Json.readTree(config), config.toString(), cfg);
            }
            var tree = cfg.toJson();
            if (model != null) {
                tree.put("model", model);
            }
            if (seed != null) {
                tree.put("seed", seed);
            }
            if (epochs != null) {
                tree.put("epochs", epochs);
            }
            if (finalRun) {
                tree.put("validation_units", 0);
            }
            cfg = RulConfig.read(tree, "the command line", cfg);
            Path trainFile = data.resolve("train_" + checkSubset(subset) + ".txt");
            List<EngineUnit> units = CmapssReader.readUnits(trainFile);
            RulTrainer.Result r;
            try {
                r = new RulTrainer(cfg, out).train(units, trainFile, subset, !json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                ObjectNode j = Json.object().put("run", out.toString()).put("model", cfg.model().id()).put("seed", cfg.seed())
                        .put("epochs", r.epochs()).put("best_epoch", r.bestEpoch())
                        .put("steps", r.steps()).put("seconds", r.seconds()).put("training_units", r.trainingUnits())
                        .put("validation_units", r.validationUnits());
                if (r.validationUnits() > 0) {
                    j.put("validation_rmse", r.validationRmse());
                } else {
                    j.putNull("validation_rmse");
                }
                r.features().forEach(j.putArray("features")::add);
                o.println(Json.pretty(j));
            } else {
                String validation = r.validationUnits() > 0
                        ? String.format(Locale.ROOT, "best epoch %d of %d, validation RMSE %.2f", r.bestEpoch(), r.epochs(),
                                r.validationRmse())
                        : r.epochs() + " epochs, no validation (no units held out: the last epoch is the model)";
                o.printf(Locale.ROOT, "trained %s (seed %d) on %d units of %s, %d held out: %s, %.0f s%nfeatures: %s%nrun: %s%n",
                        cfg.model().id(), cfg.seed(), r.trainingUnits(), trainFile, r.validationUnits(), validation,
                        r.seconds(), String.join(" ", r.features()), out);
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "RMSE and PHM08 score at the last cycle of each test unit (default: the official test split of "
                    + "the run's subset), the true RUL capped at the run's cap; several --checkpoint runs are averaged.")
    static final class EvalRul implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--checkpoint", required = true, paramLabel = "RUN", description = "A run folder of kiban rul train; "
                + "repeat it to evaluate the mean of several runs' predictions (an ensemble).")
        List<Path> checkpoints;

        @Option(names = "--test", paramLabel = "FILE", description = "Test units in C-MAPSS's layout (default: "
                + "test_SUBSET.txt beside the run's training file).")
        Path test;

        @Option(names = "--truth", paramLabel = "FILE", description = "Their true RUL, one line per unit (default: "
                + "RUL_SUBSET.txt beside the run's training file).")
        Path truth;

        @Option(names = "--report", paramLabel = "FILE.html", description = "The HTML report (default: report.html in "
                + "the first run folder).")
        Path report;

        @Option(names = "--validation", description = "Evaluate on the training units the runs held out instead of the "
                + "test units (for choosing settings and ensembles without the test split): at the runs' "
                + "validation_truncations points per unit, and on every window.")
        boolean validation;

        @Option(names = "--bias", paramLabel = "CYCLES", description = "Lower every prediction by CYCLES (then clip "
                + "to [0, cap]): a late bias measured on held-out units, the mean error that --validation prints for "
                + "runs of the same configuration. Choose it there, never on the test units (default: 0).")
        double bias;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public void run() {
            if (!Double.isFinite(bias)) {
                throw new InvalidInputException("--bias", "", "a finite number of cycles", String.valueOf(bias));
            }
            if (validation && (test != null || truth != null)) {
                throw new InvalidInputException("--validation", "", "--validation without --test and --truth", "both");
            }
            if ((test == null) != (truth == null)) {
                throw new InvalidInputException(test == null ? "--test" : "--truth", "", "--test and --truth together",
                        "only one of them");
            }
            List<RulModel> models = new ArrayList<>();
            try {
                for (Path c : checkpoints) {
                    models.add(RulModel.load(c));
                }
                RulModel first = models.get(0);
                if (validation) {
                    validate(models);
                    return;
                }
                Path dir = first.trainFile().getParent();
                Path testFile = test != null ? test : dir.resolve("test_" + first.subset() + ".txt");
                Path truthFile = truth != null ? truth : dir.resolve("RUL_" + first.subset() + ".txt");
                List<EngineUnit> units = CmapssReader.readUnits(testFile);
                int[] rul = CmapssReader.readRul(truthFile, testFile, units);
                int cap = first.config().cap();
                double[] predicted = new double[units.size()];
                for (RulModel m : models) {
                    double[] p = m.predictLast(units);
                    for (int i = 0; i < p.length; i++) {
                        predicted[i] += p[i] / models.size();
                    }
                }
                unbias(predicted, cap);
                double[] capped = new double[rul.length];
                double[] raw = new double[rul.length];
                for (int i = 0; i < rul.length; i++) {
                    capped[i] = Math.min(cap, rul[i]);
                    raw[i] = rul[i];
                }
                RulMetrics metrics = RulMetrics.of(predicted, capped);
                RulMetrics uncapped = RulMetrics.of(predicted, raw);
                Path html = report != null ? report : checkpoints.get(0).resolve("report.html");
                RulReport.write(html, checkpoints, testFile, units, rul, cap, predicted, metrics);
                print(testFile, truthFile, units, rul, cap, predicted, metrics, uncapped, html);
            } finally {
                models.forEach(RulModel::close);
            }
        }

        /** The runs' mean prediction on every window of their held-out units (which must be the same units). */
        private void validate(List<RulModel> models) {
            RulModel first = models.get(0);
            for (int i = 1; i < models.size(); i++) {
                if (!models.get(i).validationUnits().equals(first.validationUnits())
                        || !models.get(i).trainFile().equals(first.trainFile())) {
                    throw new InvalidInputException(checkpoints.get(i).toString(), "validation_units", "the held-out units "
                            + first.validationUnits() + " of " + first.trainFile() + ", as " + checkpoints.get(0),
                            models.get(i).validationUnits() + " of " + models.get(i).trainFile());
                }
            }
            List<EngineUnit> held = CmapssReader.readUnits(first.trainFile()).stream()
                    .filter(u -> first.validationUnits().contains(u.unit())).toList();
            int cap = first.config().cap();
            List<Double> predicted = new ArrayList<>();
            List<Double> truthValues = new ArrayList<>();
            for (EngineUnit u : held) {
                double[] mean = null;
                for (RulModel m : models) {
                    double[] p = m.predictEveryCycle(u);
                    if (mean == null) {
                        mean = new double[p.length];
                    }
                    for (int k = 0; k < p.length; k++) {
                        mean[k] += p[k] / models.size();
                    }
                }
                int window = u.length() - mean.length + 1;
                unbias(mean, cap);
                for (int k = 0; k < mean.length; k++) {
                    predicted.add(mean[k]);
                    truthValues.add((double) kiban.health.rul.RulWindows.target(u.lastCycle(), u.cycles()[window - 1 + k], cap));
                }
            }
            double[] p = predicted.stream().mapToDouble(Double::doubleValue).toArray();
            double[] t = truthValues.stream().mapToDouble(Double::doubleValue).toArray();
            RulMetrics every = RulMetrics.of(p, t);
            int perUnit = first.config().validationTruncations();
            int[] points = kiban.health.rul.RulWindows.truncations(held, first.config().window(), perUnit);
            RulMetrics m = perUnit > 0 ? RulMetrics.of(pick(p, points), pick(t, points)) : every;
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                o.println(Json.pretty(Json.object().put("rmse", m.rmse()).put("score", m.score()).put("mean_error", m.meanError())
                        .put("windows", m.units()).put("rmse_every_window", every.rmse()).put("units", held.size())
                        .put("runs", models.size()).put("bias", bias)));
            } else {
                o.printf(Locale.ROOT, "%d windows (%s) of %d held-out units of %s (%d runs)%nrmse   %.2f (every window: %.2f)"
                        + "%nscore  %.1f%nmean error %+.2f (predicted - true: positive is late)%s%n", m.units(),
                        perUnit > 0 ? perUnit + " truncation points per unit" : "every window", held.size(), first.trainFile(),
                        models.size(), m.rmse(), every.rmse(), m.score(), m.meanError(),
                        bias == 0 ? "" : String.format(Locale.ROOT, ", predictions lowered by %.2f cycles", bias));
            }
        }

        /** Lowers each prediction by {@link #bias}, within [0, cap] as the models' own predictions are. */
        private void unbias(double[] predicted, int cap) {
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = Math.clamp(predicted[i] - bias, 0, cap);
            }
        }

        private static double[] pick(double[] values, int[] at) {
            double[] out = new double[at.length];
            for (int i = 0; i < at.length; i++) {
                out[i] = values[at[i]];
            }
            return out;
        }

        private void print(Path testFile, Path truthFile, List<EngineUnit> units, int[] rul, int cap, double[] predicted,
                RulMetrics m, RulMetrics uncapped, Path html) {
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                ObjectNode j = Json.object().put("rmse", m.rmse()).put("score", m.score()).put("units", m.units())
                        .put("mean_error", m.meanError()).put("truth_capped_at", cap)
                        .put("rmse_uncapped_truth", uncapped.rmse()).put("score_uncapped_truth", uncapped.score())
                        .put("bias", bias).put("test", testFile.toString()).put("truth", truthFile.toString())
                        .put("report", html.toString());
                ArrayNode runs = j.putArray("checkpoints");
                checkpoints.forEach(c -> runs.add(c.toString()));
                ArrayNode per = j.putArray("predictions");
                for (int i = 0; i < units.size(); i++) {
                    per.addObject().put("unit", units.get(i).unit()).put("true", rul[i]).put("predicted", predicted[i]);
                }
                o.println(Json.pretty(j));
            } else {
                o.printf(Locale.ROOT, "%d test units of %s (%s%s)%nrmse   %.2f%nscore  %.1f%nmean error %+.2f%n(true RUL "
                        + "capped at %d; uncapped: rmse %.2f, score %.1f)%nreport: %s%n", m.units(), testFile,
                        checkpoints.size() == 1 ? "1 run" : checkpoints.size() + " runs averaged",
                        bias == 0 ? "" : String.format(Locale.ROOT, ", lowered by %.2f cycles", bias), m.rmse(), m.score(),
                        m.meanError(), cap, uncapped.rmse(), uncapped.score(), html);
            }
        }
    }

    static void ensureParent(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
