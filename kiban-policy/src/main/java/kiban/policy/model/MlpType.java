package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import kiban.core.json.FieldReader;

/** The {@code mlp} policy: an MLP from observations straight to the chunk. */
public final class MlpType implements PolicyType, ScriptedNetwork {

    @Override
    public String name() {
        return MlpNetwork.TYPE;
    }

    @Override
    public String description() {
        return "a multilayer perceptron that regresses a chunk of actions from the observation";
    }

    @Override
    public java.util.List<String> networkFields() {
        return java.util.List.of("hidden");
    }

    @Override
    public MlpConfig defaults() {
        return new MlpConfig(MlpConfig.DEFAULT_HIDDEN);
    }

    @Override
    public MlpConfig read(FieldReader fields) {
        return new MlpConfig(MlpConfig.readHidden(fields, MlpConfig.DEFAULT_HIDDEN));
    }

    @Override
    public PolicyNetwork create(PolicyConfig config, ObservationLayout layout, ChunkSpec chunk) {
        return new MlpNetwork(layout, chunk.outputs(), ((MlpConfig) config).hidden());
    }

    @Override
    public boolean inEveryConfigFile() {
        return true;
    }

    @Override
    public Optional<ScriptedNetwork> torchScript() {
        return Optional.of(this);
    }

    @Override
    public void writeSpec(PolicyConfig config, ChunkSpec chunk, ObjectNode spec) {
        MlpConfig.writeHidden(((MlpConfig) config).hidden(), spec);
    }
}
