package kiban.health.failures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.io.AtomicFiles;
import kiban.core.json.Json;
import kiban.core.progress.Progress;

/**
 * What {@code kiban health train} does: for each learning problem, cross-validate the network and
 * the baselines on the same stratified folds, then train the network on every instance; the run
 * folder is staged and appears whole at the end, or not at all.
 */
public final class FailureTraining {

    /** The k of the nearest-neighbour baseline, fixed a priori (an odd k avoids most two-way ties). */
    public static final int NEIGHBOURS = 3;

    private FailureTraining() {}

    /** The network, then the baselines it is compared with. */
    public static List<Learner> learners(MlpSettings settings, int neighbours) {
        return List.of(new MlpLearner(settings), new NearestNeighbours(neighbours), new MajorityClass());
    }

    /** Reads every problem's file first, so that bad data is refused before any training. */
    public static List<FailureDataset> read(Path data, List<LearningProblem> problems, int folds) {
        List<FailureDataset> sets = new ArrayList<>();
        for (LearningProblem p : problems) {
            FailureDataset d = FailureDataReader.read(data, p);
            if (folds < 2 || folds > d.size()) {
                throw new InvalidInputException("--folds", "", "a number of folds in [2, " + d.size() + "] (" + p.id() + " has "
                        + d.size() + " failures)", Integer.toString(folds));
            }
            sets.add(d);
        }
        return sets;
    }

    /**
     * Trains and writes the run to {@code out} (a new or empty folder); {@code progress} counts
     * fits: the folds and the final model of each problem.
     */
    public static List<ProblemResult> train(Path data, List<FailureDataset> sets, int folds, long seed, MlpSettings settings,
            Path out, Progress progress) {
        FailureRun.checkNew(out);
        Map<LearningProblem, String> sha = new LinkedHashMap<>();
        sets.forEach(d -> sha.put(d.problem(), FailureRun.sha256(d.file())));
        FailureRun.Config config = new FailureRun.Config(data.toAbsolutePath().normalize().toString(), folds, seed,
                sets.stream().map(FailureDataset::problem).toList(), settings, NEIGHBOURS, sha);
        FailureRun staged = FailureRun.stage(out);
        // A run stopped by Ctrl-C or SIGTERM leaves no half-written staging folder behind either.
        Thread cleanup = new Thread(staged::discard, "discard " + staged.root().getFileName());
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            List<ProblemResult> results = new ArrayList<>();
            progress.begin(0);
            for (FailureDataset d : sets) {
                progress.status(d.problem().id());
                results.add(CrossValidation.run(d, folds, seed, learners(settings, NEIGHBOURS), progress));
                trainFinal(d, seed, settings, staged);
                progress.step(1);
            }
            Path staging = staged.root().resolve(".staging");
            AtomicFiles.writeString(staged.config(), Json.pretty(config.toJson()), staging);
            AtomicFiles.writeString(staged.results(), Json.pretty(resultsJson(results)), staging);
            FailureReport.write(staged.report(), "Failure classifiers from " + data, config, results);
            deleteQuietly(staging);
            staged.commit(out);
            return results;
        } catch (RuntimeException e) {
            staged.discard();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it discards the staging folder, which is what is wanted.
            }
        }
    }

    /** The network on every instance of {@code d}, with the standardisation fitted on them all. */
    private static void trainFinal(FailureDataset d, long seed, MlpSettings settings, FailureRun staged) {
        int[] all = java.util.stream.IntStream.range(0, d.size()).toArray();
        double[][] raw = FailureFeatures.of(d, all);
        Standardizer standardizer = Standardizer.fit(raw);
        try (MlpClassifier model = new MlpLearner(settings).fit(standardizer.apply(raw), d.labels(), d.problem().labels().size(),
                seed)) {
            Path staging = staged.root().resolve(".staging");
            AtomicFiles.writeString(staged.normalization(d.problem()), Json.pretty(standardizer.toJson()), staging);
            AtomicFiles.replace(staged.model(d.problem()), staging, model::save);
        }
    }

    public static com.fasterxml.jackson.databind.node.ObjectNode resultsJson(List<ProblemResult> results) {
        var o = Json.object();
        var a = o.putArray("problems");
        results.forEach(r -> a.add(r.toJson()));
        return o;
    }

    private static void deleteQuietly(Path dir) {
        try {
            java.nio.file.Files.deleteIfExists(dir);
        } catch (java.io.IOException ignored) {
            // An empty hidden folder left in the run is harmless.
        }
    }
}
