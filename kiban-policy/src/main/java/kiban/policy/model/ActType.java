package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;
import kiban.policy.nn.ActTransformer;

/** The {@code act} policy: a transformer over observation tokens, one learned query per chunk step. */
public final class ActType implements PolicyType, ScriptedNetwork {

    @Override
    public String name() {
        return ActNetwork.TYPE;
    }

    @Override
    public String description() {
        return "an action-chunking transformer (ACT) that predicts a chunk of actions from the observation";
    }

    @Override
    public java.util.List<String> networkFields() {
        return java.util.List.of("model_dim", "heads", "encoder_layers", "decoder_layers");
    }

    @Override
    public ActConfig defaults() {
        return new ActConfig(128, 4, 4, 1);
    }

    @Override
    public ActConfig read(FieldReader fields) {
        ActConfig d = defaults();
        ActConfig c = new ActConfig(fields.optInt("model_dim", 1, 4096, d.modelDim()),
                fields.optInt("heads", 1, 64, d.heads()),
                fields.optInt("encoder_layers", 0, 64, d.encoderLayers()),
                fields.optInt("decoder_layers", 1, 64, d.decoderLayers()));
        checkHeads(c, fields.source());
        return c;
    }

    private static void checkHeads(ActConfig c, String source) {
        if (c.modelDim() % c.heads() != 0) {
            throw new InvalidInputException(source, "model_dim", "a multiple of heads (" + c.heads() + ")",
                    String.valueOf(c.modelDim()));
        }
    }

    @Override
    public PolicyNetwork create(PolicyConfig config, ObservationLayout layout, ChunkSpec chunk) {
        ActConfig c = (ActConfig) config;
        if (chunk.outputs() % chunk.horizon() != 0) {
            throw new InvalidInputException("config", "horizon", "a divisor of the network's " + chunk.outputs() + " outputs",
                    String.valueOf(chunk.horizon()));
        }
        checkHeads(c, "config");
        return new ActNetwork(layout, new ActTransformer.Dims(layout.steps(), layout.tokenDim(), chunk.horizon(),
                chunk.outputs() / chunk.horizon(), c.modelDim(), c.heads(), c.encoderLayers(), c.decoderLayers()));
    }

    /** One token per observation frame, as the transformer reads them. */
    @Override
    public ObservationLayout stateOnly(int observationSteps, int inputs, ChunkSpec chunk) {
        if (inputs % observationSteps != 0 || chunk.outputs() % chunk.horizon() != 0) {
            throw new InvalidInputException("config", "observation_steps/horizon",
                    "divisors of the network's " + inputs + " inputs and " + chunk.outputs() + " outputs",
                    observationSteps + "/" + chunk.horizon());
        }
        return ObservationLayout.stateOnly(observationSteps, inputs);
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
        ActConfig c = (ActConfig) config;
        spec.putObject("act").put("model_dim", c.modelDim()).put("heads", c.heads())
                .put("encoder_layers", c.encoderLayers()).put("decoder_layers", c.decoderLayers());
    }
}
