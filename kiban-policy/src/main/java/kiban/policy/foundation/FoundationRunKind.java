package kiban.policy.foundation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.policy.Policy;
import kiban.policy.run.RunKind;
import kiban.policy.run.ScriptedRun;
import kiban.policy.run.ServedEmbodiment;

/** A foundation policy's run folder, as loading and model cards see it. */
public final class FoundationRunKind implements RunKind {

    @Override
    public String type() {
        return FoundationNetwork.TYPE;
    }

    @Override
    public String description() {
        return "a foundation policy: one flow-matching transformer over several embodiments, each with its own "
                + "state and action heads, following instructions given as words";
    }

    @Override
    public List<String> networkFields() {
        return List.of("model_dim", "heads", "layers", "flow_steps", "vocabulary", "max_tokens");
    }

    @Override
    public Policy load(Path dir, Optional<String> embodiment) {
        return FoundationPolicy.load(dir, embodiment);
    }

    @Override
    public List<ServedEmbodiment> embodiments(Path dir) {
        return FoundationCheckpoint.open(dir).embodiments().stream()
                .map(e -> new ServedEmbodiment(e.name(), e.env(), e.metadata(), e.normalizer(), e.trainedOn())).toList();
    }

    @Override
    public long parameterCount(Path dir) {
        return FoundationCheckpoint.open(dir).parameterCount();
    }

    @Override
    public Optional<ScriptedRun> torchScript() {
        return Optional.of(new FoundationExport());
    }
}
