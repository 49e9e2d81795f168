package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code diffusion} policy's settings: its MLP's widths ({@code hidden}) and its DDIM sampling
 * steps, which the config file holds in {@code flow_steps} beside the flow policy's.
 */
public record DiffusionConfig(List<Integer> hidden, int steps) implements PolicyConfig {

    public DiffusionConfig {
        hidden = List.copyOf(hidden);
    }

    @Override
    public String type() {
        return DiffusionNetwork.TYPE;
    }

    @Override
    public void write(ObjectNode fields) {
        MlpConfig.writeHidden(hidden, fields);
        fields.put("flow_steps", steps);
    }
}
