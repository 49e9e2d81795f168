package kiban.policy.estimate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.Policy;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.RunKind;
import kiban.policy.run.ServedEmbodiment;

/** An {@code estimated-state} run's folder, as loading and model cards see it. */
public final class EstimatedStateRunKind implements RunKind {

    @Override
    public String type() {
        return EstimatedStateConfig.POLICY;
    }

    @Override
    public String description() {
        return "a state policy that reads some of its state features from a camera, through an estimator trained on a "
                + "recording that labels every frame with them";
    }

    @Override
    public List<String> networkFields() {
        return List.of("estimate", "image_encoder", "image_feature_dim", "hidden");
    }

    @Override
    public Policy load(Path dir, Optional<String> embodiment) {
        return EstimatedStatePolicy.load(dir);
    }

    @Override
    public List<ServedEmbodiment> embodiments(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        String env = Json.readTree(run.policy()).path("env").asText("");
        try (EstimatedStatePolicy p = EstimatedStatePolicy.load(dir)) {
            Normalizer normalizer = Normalizer.load(new RunDirectory(dir.resolve(EstimatedStatePolicy.STATE_POLICY)).normalization());
            return List.of(new ServedEmbodiment(env.isEmpty() ? "default" : env, env, p.metadata(), normalizer, p.instructions()));
        }
    }

    /** As its state policy does: where that was trained on several tasks. */
    @Override
    public boolean readsInstructions(ServedEmbodiment embodiment) {
        return !embodiment.trainedOn().isEmpty();
    }

    /** The estimator: the part this kind trains; the state policy was trained before it. */
    @Override
    public RunDirectory trainingRun(Path dir) {
        return new RunDirectory(dir.resolve(EstimatedStatePolicy.ESTIMATOR));
    }

    @Override
    public long parameterCount(Path dir) {
        try (EstimatedStatePolicy p = EstimatedStatePolicy.load(dir)) {
            return p.estimator().parameterCount() + p.statePolicy().parameterCount();
        }
    }
}
