package kiban.policy.estimate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.Policy;
import kiban.policy.run.Instructions;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.RunKind;
import kiban.policy.run.ScriptedRun;
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

    /** From the run's files alone: a model card asks for it, and loading both networks to answer would be wasted. */
    @Override
    public List<ServedEmbodiment> embodiments(Path dir) {
        String env = Json.readTree(new RunDirectory(dir).policy()).path("env").asText("");
        RunDirectory state = new RunDirectory(dir.resolve(EstimatedStatePolicy.STATE_POLICY));
        List<String> trainedOn = PolicyFiles.readInstructions(state.policy()).map(Instructions::trainedOn).orElse(List.of());
        return List.of(new ServedEmbodiment(env.isEmpty() ? "default" : env, env, EstimatedStatePolicy.metadata(dir),
                Normalizer.load(state.normalization()), trainedOn));
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
    public Optional<ScriptedRun> torchScript() {
        return Optional.of(new EstimatedStateExport());
    }

    @Override
    public long parameterCount(Path dir) {
        try (EstimatedStatePolicy p = EstimatedStatePolicy.load(dir)) {
            return p.estimator().parameterCount() + p.statePolicy().parameterCount();
        }
    }
}
