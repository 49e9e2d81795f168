package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.health.cell.Covariate;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kiban health maintenance}: downtime, throughput and OEE of the factory cell under
 * run-to-failure, fixed-interval, condition-based and predictive maintenance on the same test seeds.
 */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = "Fit the factory cell's hazard model on run-to-failure histories, tune fixed-interval and predictive "
                + "maintenance on the training seeds, and compare the four maintenance policies on the test seeds.")
final class HealthMaintenanceCommand implements Runnable {

    static final String ENV = "factory-cell";
    /** The figures the table shows, by metric name, with their headings. */
    private static final String[][] COLUMNS = {{"downtime_fraction", "DOWNTIME"}, {"throughput", "THROUGHPUT/h"}, {"oee", "OEE"},
        {"failures", "FAILURES"}, {"maintenances", "MAINTENANCES"}};

    @Spec
    CommandSpec spec;

    @Option(names = "--train-seeds", defaultValue = "0-39", paramLabel = "FIRST-LAST",
            description = "Seeds whose run-to-failure histories fit the model and on which the interval and limit are tuned (default: ${DEFAULT-VALUE}).")
    String trainSeeds;

    @Option(names = "--validation-seeds", defaultValue = "500-519", paramLabel = "FIRST-LAST",
            description = "Held-out run-to-failure seeds that choose the model's covariates (default: ${DEFAULT-VALUE}).")
    String validationSeeds;

    @Option(names = "--test-seeds", defaultValue = "1000-1099", paramLabel = "FIRST-LAST",
            description = "Seeds every policy is reported on, once (default: ${DEFAULT-VALUE}).")
    String testSeeds;

    @Option(names = "--model-out", paramLabel = "FILE", description = "Write the fitted model and its tuned limit here (JSON), for 'kiban health watch --model'.")
    Path modelOut;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the results as a self-contained HTML page.")
    Path report;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Override
    public void run() {
        SeedRange train = SeedRange.parse(trainSeeds, "--train-seeds");
        SeedRange validation = SeedRange.parse(validationSeeds, "--validation-seeds");
        SeedRange test = SeedRange.parse(testSeeds, "--test-seeds");
        refuseOverlap(test, train, "--test-seeds", "--train-seeds");
        refuseOverlap(test, validation, "--test-seeds", "--validation-seeds");
        refuseOverlap(validation, train, "--validation-seeds", "--train-seeds");
        CellMaintenanceStudy.Outcome outcome;
        try (Env env = EnvRegistry.load().get(ENV).create(EnvConfig.DEFAULT);
                Progress progress = Progress.start("maintenance study", "episodes",
                        CellMaintenanceStudy.episodesFor(train, validation, test), true)) {
            outcome = new CellMaintenanceStudy(env).run(train, validation, test, progress);
        }
        if (modelOut != null) {
            outcome.model().write(modelOut);
        }
        if (report != null) {
            MaintenanceReport.write(report, outcome, train, validation, test);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(toJson(outcome, train, validation, test)));
        } else {
            print(out, outcome, train, validation, test);
        }
    }

    private static void refuseOverlap(SeedRange a, SeedRange b, String optionA, String optionB) {
        if (a.overlaps(b)) {
            throw new InvalidInputException(optionA, "", "seeds apart from " + optionB + " " + b, a.toString());
        }
    }

    /** Per-seed predictive minus condition-based downtime: the paired comparison the goal asks for. */
    static MeanInterval downtimeGain(CellMaintenanceStudy.Outcome o) {
        var predictive = o.policy("predictive").episodes();
        var condition = o.policy("condition-based").episodes();
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < predictive.size(); i++) {
            d.add(predictive.get(i).get("downtime_fraction") - condition.get(i).get("downtime_fraction"));
        }
        return MeanInterval.of(d);
    }

    private void print(PrintWriter out, CellMaintenanceStudy.Outcome o, SeedRange train, SeedRange validation, SeedRange test) {
        out.printf("Hazard model: run-to-failure seeds %s, covariates chosen on seeds %s (held-out log-likelihood a running minute):%n",
                train, validation);
        for (var c : o.candidates()) {
            out.printf("  %-42s train %.6f  validation %.6f  failures expected %.1f, seen %d%n", Covariate.join(c.covariates()),
                    c.trainLogLik(), c.validationLogLik(), c.validationExpected(), c.validationFailures());
        }
        out.printf("Chosen: %s; tuned on seeds %s: fixed interval %s min (downtime %.4f), predictive %s (downtime %.4f); "
                + "condition-based there %.4f%n", Covariate.join(o.model().hazard().covariates()), train,
                Text.number(o.interval()), o.trainFixedDowntime(), o.policy("predictive").setting(), o.trainPredictiveDowntime(),
                o.trainConditionDowntime());
        out.printf("%nTest seeds %s (%d episodes of 5 days each), means with 95%% intervals:%n", test, test.count());
        out.printf("%-16s", "POLICY");
        for (String[] c : COLUMNS) {
            out.printf(" %-24s", c[1]);
        }
        out.println();
        for (var p : o.test()) {
            out.printf("%-16s", p.name());
            for (String[] c : COLUMNS) {
                MeanInterval m = p.metric(c[0]);
                String digits = c[0].equals("throughput") || c[0].endsWith("s") ? "%.2f" : "%.4f";
                out.printf(" %-24s", String.format(digits + " [" + digits + ", " + digits + "]", m.mean(), m.low(), m.high()));
            }
            out.println();
        }
        for (var p : o.test()) {
            out.printf("  %-15s %s%n", p.name(), p.setting());
        }
        MeanInterval gain = downtimeGain(o);
        out.printf("Predictive minus condition-based downtime, paired by seed: %+.4f [%+.4f, %+.4f]%n", gain.mean(), gain.low(),
                gain.high());
        if (modelOut != null) {
            out.println("Model written to " + modelOut);
        }
    }

    private ObjectNode toJson(CellMaintenanceStudy.Outcome o, SeedRange train, SeedRange validation, SeedRange test) {
        ObjectNode root = Json.object();
        root.put("env", ENV);
        root.put("train_seeds", train.toString());
        root.put("validation_seeds", validation.toString());
        root.put("test_seeds", test.toString());
        ArrayNode candidates = root.putArray("model_candidates");
        for (var c : o.candidates()) {
            candidates.addObject().put("covariates", Covariate.join(c.covariates())).put("train_log_likelihood", c.trainLogLik())
                    .put("validation_log_likelihood", c.validationLogLik())
                    .put("validation_failures_expected", c.validationExpected())
                    .put("validation_failures", c.validationFailures());
        }
        root.set("model", o.model().toJson());
        root.put("fixed_interval_minutes", o.interval());
        ObjectNode tuning = root.putObject("train_downtime");
        tuning.put("fixed-interval", o.trainFixedDowntime());
        tuning.put("predictive", o.trainPredictiveDowntime());
        tuning.put("condition-based", o.trainConditionDowntime());
        ArrayNode policies = root.putArray("policies");
        for (var p : o.test()) {
            ObjectNode n = policies.addObject();
            n.put("policy", p.name());
            n.put("setting", p.setting());
            n.put("episodes", p.episodes().size());
            for (String key : List.of("downtime_fraction", "throughput", "oee", "availability", "failures", "maintenances")) {
                MeanInterval m = p.metric(key);
                n.putObject(key).put("mean", m.mean()).put("low", m.low()).put("high", m.high());
            }
        }
        MeanInterval gain = downtimeGain(o);
        root.putObject("predictive_minus_condition_downtime").put("mean", gain.mean()).put("low", gain.low()).put("high", gain.high());
        return root;
    }
}
