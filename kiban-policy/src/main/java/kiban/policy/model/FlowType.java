package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;

/** The {@code flow} policy: flow matching over the chunk, integrated from noise at inference. */
public final class FlowType implements PolicyType, ScriptedNetwork {

    @Override
    public String name() {
        return FlowNetwork.TYPE;
    }

    @Override
    public String description() {
        return "a flow-matching policy that samples a chunk of actions from noise, conditioned on the observation";
    }

    @Override
    public java.util.List<String> networkFields() {
        return java.util.List.of("hidden", "flow_steps", "flow_head", "flow_noise_scale");
    }

    @Override
    public FlowConfig defaults() {
        return new FlowConfig(MlpConfig.DEFAULT_HIDDEN, 10, 1.0, "mlp");
    }

    @Override
    public FlowConfig read(FieldReader fields) {
        FlowConfig d = defaults();
        String head = d.head();
        if (fields.has("flow_head")) {
            head = fields.requireText("flow_head");
            if (!FlowConfig.HEADS.contains(head)) {
                throw fields.require("flow_head").invalid("one of " + FlowConfig.HEADS, "\"" + head + "\"");
            }
        }
        FlowConfig c = new FlowConfig(MlpConfig.readHidden(fields, d.hidden()),
                fields.optInt("flow_steps", 1, 100, d.steps()),
                fields.optDouble("flow_noise_scale", 0, 10, d.noiseScale()), head);
        if (c.head().equals(FlowNetwork.FILM) && c.hidden().stream().distinct().count() != 1) {
            throw new InvalidInputException(fields.source(), "hidden",
                    "one width repeated once per residual block (flow_head: film)", c.hidden().toString());
        }
        return c;
    }

    @Override
    public PolicyNetwork create(PolicyConfig config, ObservationLayout layout, ChunkSpec chunk) {
        FlowConfig c = (FlowConfig) config;
        return new FlowNetwork(layout, chunk.outputs(), c.hidden(), c.steps(), c.noiseScale(), c.head());
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
        FlowConfig c = (FlowConfig) config;
        MlpConfig.writeHidden(c.hidden(), spec);
        ObjectNode flow = spec.putObject("flow");
        flow.put("steps", c.steps());
        flow.put("step_size", FlowNetwork.stepSize(c.steps()));
        flow.put("noise_scale", (float) c.noiseScale());
        flow.put("head", c.head());
        ScriptedSpecs.floats(flow.putArray("times"), FlowNetwork.integrationTimes(c.steps()));
        ScriptedSpecs.floats(flow.putArray("time_frequencies"), FlowNetwork.timeFrequencies());
    }

    @Override
    public void describeSampling(PolicyConfig config, ObjectNode provenance) {
        FlowConfig c = (FlowConfig) config;
        provenance.put("flow_steps", c.steps());
        provenance.put("flow_noise_scale", c.noiseScale());
        provenance.put("flow_head", c.head());
    }
}
