package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import kiban.core.json.FieldReader;
import kiban.core.normalize.NormalizationMode;

/** The {@code diffusion} policy: DDPM training, DDIM sampling (Diffusion Policy's MLP variant). */
public final class DiffusionType implements PolicyType, ScriptedNetwork {

    @Override
    public String name() {
        return DiffusionNetwork.TYPE;
    }

    @Override
    public String description() {
        return "a diffusion policy that denoises a chunk of actions, conditioned on the observation";
    }

    @Override
    public java.util.List<String> networkFields() {
        return java.util.List.of("hidden", "flow_steps");
    }

    @Override
    public DiffusionConfig defaults() {
        return new DiffusionConfig(MlpConfig.DEFAULT_HIDDEN, 10);
    }

    @Override
    public DiffusionConfig read(FieldReader fields) {
        DiffusionConfig d = defaults();
        return new DiffusionConfig(MlpConfig.readHidden(fields, d.hidden()), fields.optInt("flow_steps", 1, 100, d.steps()));
    }

    @Override
    public PolicyNetwork create(PolicyConfig config, ObservationLayout layout, ChunkSpec chunk) {
        DiffusionConfig c = (DiffusionConfig) config;
        return new DiffusionNetwork(layout, chunk.outputs(), c.hidden(), c.steps(), clipsToUnitRange(chunk));
    }

    /** Whether sampling clips its estimates of the clean chunk to [-1, 1]: where min-max normalisation put actions there. */
    public static boolean clipsToUnitRange(ChunkSpec chunk) {
        return chunk.normalization() == NormalizationMode.MIN_MAX;
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
        DiffusionConfig c = (DiffusionConfig) config;
        MlpConfig.writeHidden(c.hidden(), spec);
        ObjectNode diffusion = spec.putObject("diffusion");
        diffusion.put("clip", clipsToUnitRange(chunk));
        ArrayNode steps = diffusion.putArray("steps");
        for (DiffusionNetwork.SamplingStep st : DiffusionNetwork.samplingSchedule(c.steps())) {
            // [time, noise weight, signal weight, previous signal weight, previous noise weight]
            steps.addArray().add(st.time()).add(st.noiseWeight()).add(st.signalWeight())
                    .add(st.previousSignalWeight()).add(st.previousNoiseWeight());
        }
        ScriptedSpecs.floats(diffusion.putArray("time_frequencies"), FlowNetwork.timeFrequencies());
    }

    @Override
    public void describeSampling(PolicyConfig config, ObjectNode provenance) {
        provenance.put("diffusion_steps", ((DiffusionConfig) config).steps());
    }
}
