package kiban.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.progress.Progress;
import kiban.health.cell.CellHealthModel;
import kiban.health.cell.CellReading;
import kiban.health.cell.Covariate;
import kiban.health.cell.FailureHistory;
import kiban.health.cell.FixedIntervalMaintenance;
import kiban.health.cell.HazardFit;
import kiban.health.cell.HazardModel;
import kiban.health.cell.PredictiveMaintenance;
import kiban.sim.env.Env;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import kiban.sim.factory.ConditionBasedExpert;
import kiban.sim.factory.RunToFailurePolicy;

/**
 * The maintenance study behind {@code kiban health maintenance}: fit the cell's hazard model on
 * run-to-failure histories of the training seeds, pick its covariates by held-out likelihood on
 * the validation seeds, tune the fixed interval and the predictive limit on the training seeds, then
 * run the four policies once on the test seeds.
 */
final class CellMaintenanceStudy {

    /** The covariate sets compared; the one with the best validation likelihood is kept. */
    static final List<List<Covariate>> CANDIDATES = List.of(
            List.of(Covariate.AGE_DAYS),
            List.of(Covariate.VIBRATION),
            List.of(Covariate.TEMPERATURE),
            List.of(Covariate.VIBRATION, Covariate.TEMPERATURE),
            List.of(Covariate.VIBRATION_TWO_THIRDS, Covariate.TEMPERATURE),
            List.of(Covariate.VIBRATION_TWO_THIRDS, Covariate.TEMPERATURE, Covariate.AGE_DAYS));
    /** Fixed intervals tried, minutes since service: from a quarter day to a day and a half. */
    static final double[] INTERVALS = {360, 480, 600, 720, 840, 960, 1080, 1200, 1440, 1800, 2160};
    /** Horizons of the predictive rule, minutes of running: half an hour to four hours. */
    static final double[] HORIZONS = {30, 60, 120, 240};
    /** Failure-probability limits of the predictive rule. */
    static final double[] LIMITS = {0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5};

    /** One candidate model and how well it predicted. */
    record ModelChoice(List<Covariate> covariates, double trainLogLik, double validationLogLik, double validationExpected,
            int validationFailures) {}

    /** One policy's per-episode figures on some seeds, with the setting it ran at. */
    record PolicyRun(String name, String setting, List<Map<String, Double>> episodes) {

        MeanInterval metric(String key) {
            return MeanInterval.of(episodes.stream().map(m -> m.get(key)).toList());
        }
    }

    /** Everything the study found; {@code test} lists run-to-failure, fixed-interval, condition-based, predictive. */
    record Outcome(List<ModelChoice> candidates, CellHealthModel model, double interval, double trainFixedDowntime,
            double trainPredictiveDowntime, double trainConditionDowntime, List<PolicyRun> test) {

        PolicyRun policy(String name) {
            return test.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private final Env env;
    private final double bufferCapacity;

    CellMaintenanceStudy(Env env) {
        this.env = env;
        this.bufferCapacity = env.spec().observation().stream().filter(f -> f.name().equals("buffer_level")).findFirst()
                .map(FeatureSpec::high).map(h -> h.getFirst()).orElseThrow(() -> new IllegalStateException(
                        env.spec().name() + " has no buffer_level feature"));
    }

    Outcome run(SeedRange train, SeedRange validation, SeedRange test, Progress progress) {
        FailureHistory trainHistory = histories(train, progress);
        FailureHistory validationHistory = histories(validation, progress);
        List<ModelChoice> candidates = new ArrayList<>();
        HazardModel best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (List<Covariate> covariates : CANDIDATES) {
            HazardModel m = HazardFit.fit(trainHistory, covariates);
            double score = HazardFit.logLikelihood(m, validationHistory);
            candidates.add(new ModelChoice(covariates, HazardFit.logLikelihood(m, trainHistory), score,
                    HazardFit.expectedFailures(m, validationHistory), validationHistory.failures()));
            if (score > bestScore) {
                bestScore = score;
                best = m;
            }
            progress.step(1);
        }
        double interval = INTERVALS[0];
        double fixedDowntime = Double.POSITIVE_INFINITY;
        for (double i : INTERVALS) {
            double d = meanDowntime(() -> maintenanceExpert(new FixedIntervalMaintenance(i)), train, progress);
            if (d < fixedDowntime) {
                fixedDowntime = d;
                interval = i;
            }
        }
        double horizon = HORIZONS[0];
        double limit = LIMITS[0];
        double predictiveDowntime = Double.POSITIVE_INFINITY;
        for (double h : HORIZONS) {
            for (double l : LIMITS) {
                HazardModel model = best;
                double d = meanDowntime(() -> maintenanceExpert(new PredictiveMaintenance(model, h, l)), train, progress);
                if (d < predictiveDowntime) {
                    predictiveDowntime = d;
                    horizon = h;
                    limit = l;
                }
            }
        }
        double conditionDowntime = meanDowntime(ConditionBasedExpert::new, train, progress);
        CellHealthModel model = new CellHealthModel(best, horizon, limit, "factory-cell run-to-failure seeds " + train
                + ", covariates chosen on seeds " + validation + ", limit tuned on seeds " + train);
        double chosenInterval = interval;
        List<PolicyRun> results = List.of(
                new PolicyRun("run-to-failure", "never maintains", episodes(RunToFailurePolicy::new, test, progress)),
                new PolicyRun("fixed-interval", "every " + Text.number(interval) + " min since service",
                        episodes(() -> maintenanceExpert(new FixedIntervalMaintenance(chosenInterval)), test, progress)),
                new PolicyRun("condition-based", "smoothed vibration >= " + Text.number(ConditionBasedExpert.VIBRATION_LIMIT)
                        + " mm/s or temperature >= " + Text.number(ConditionBasedExpert.TEMPERATURE_LIMIT) + " degC",
                        episodes(ConditionBasedExpert::new, test, progress)),
                new PolicyRun("predictive", "P(failure within " + Text.number(horizon) + " min) >= " + Text.number(limit)
                        + " (" + Covariate.join(best.covariates()) + ")",
                        episodes(() -> maintenanceExpert(new PredictiveMaintenance(model)), test, progress)));
        return new Outcome(candidates, model, interval, fixedDowntime, predictiveDowntime, conditionDowntime, results);
    }

    /** Episodes a run of {@link #run} takes, for its progress bar. */
    static long episodesFor(SeedRange train, SeedRange validation, SeedRange test) {
        long tuning = (INTERVALS.length + (long) HORIZONS.length * LIMITS.length + 1) * train.count();
        return train.count() + validation.count() + CANDIDATES.size() + tuning + 4L * test.count();
    }

    Expert maintenanceExpert(kiban.health.cell.MaintenancePolicy policy) {
        return new CellMaintenanceExpert(policy, bufferCapacity);
    }

    /** Run-to-failure histories of these seeds, as survival data. */
    FailureHistory histories(SeedRange seeds, Progress progress) {
        FailureHistory history = new FailureHistory();
        Expert policy = new RunToFailurePolicy();
        for (long seed = seeds.first(); seed <= seeds.last(); seed++) {
            List<CellReading> readings = new ArrayList<>(env.spec().maxSteps() + 1);
            Observation o = env.reset(seed);
            policy.reset(seed);
            readings.add(CellMaintenanceExpert.reading(o));
            while (true) {
                StepResult r = env.step(policy.act(o));
                o = r.observation();
                readings.add(CellMaintenanceExpert.reading(o));
                if (r.done()) {
                    break;
                }
            }
            history.addEpisode(readings);
            progress.step(1);
        }
        return history;
    }

    private double meanDowntime(Supplier<Expert> policy, SeedRange seeds, Progress progress) {
        return episodes(policy, seeds, progress).stream().mapToDouble(m -> m.get("downtime_fraction")).average().orElseThrow();
    }

    /** Each seed's episode metrics under a fresh policy. */
    List<Map<String, Double>> episodes(Supplier<Expert> factory, SeedRange seeds, Progress progress) {
        Expert policy = factory.get();
        List<Map<String, Double>> out = new ArrayList<>();
        for (long seed = seeds.first(); seed <= seeds.last(); seed++) {
            Observation o = env.reset(seed);
            policy.reset(seed);
            while (true) {
                StepResult r = env.step(policy.act(o));
                o = r.observation();
                if (r.done()) {
                    break;
                }
            }
            out.add(new LinkedHashMap<>(env.episodeMetrics()));
            progress.step(1);
        }
        return out;
    }
}
