package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code flow} policy's settings. {@code steps} ({@code flow_steps}) are its integration steps;
 * {@code noiseScale} ({@code flow_noise_scale}) scales the noise its sampling starts from: below 1
 * it samples nearer the most likely chunk, a sampling temperature chosen at evaluation time.
 * {@code head} ({@code flow_head}) picks its network: {@code mlp} reads observations, noisy chunk
 * and time concatenated; {@code film} is a residual MLP whose blocks they modulate, one width
 * repeated in {@code hidden}.
 */
public record FlowConfig(List<Integer> hidden, int steps, double noiseScale, String head) implements PolicyConfig {

    /** An MLP over (observations, noisy chunk, time) concatenated; a residual MLP modulated by them (FiLM). */
    public static final List<String> HEADS = List.of("mlp", FlowNetwork.FILM);

    public FlowConfig {
        hidden = List.copyOf(hidden);
    }

    @Override
    public String type() {
        return FlowNetwork.TYPE;
    }

    @Override
    public void write(ObjectNode fields) {
        MlpConfig.writeHidden(hidden, fields);
        fields.put("flow_steps", steps);
        fields.put("flow_noise_scale", noiseScale);
        fields.put("flow_head", head);
    }
}
