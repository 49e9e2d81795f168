package kiban.policy.linear;

import kiban.core.json.FieldReader;
import kiban.policy.model.ChunkSpec;
import kiban.policy.model.ObservationLayout;
import kiban.policy.model.PolicyConfig;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.model.PolicyType;

/** The {@code linear} policy's provider. */
public final class LinearType implements PolicyType {

    static final String NAME = "linear";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LinearConfig defaults() {
        return new LinearConfig(16);
    }

    @Override
    public LinearConfig read(FieldReader fields) {
        return new LinearConfig(fields.optInt("linear_width", 1, 4096, defaults().width()));
    }

    @Override
    public PolicyNetwork create(PolicyConfig config, ObservationLayout layout, ChunkSpec chunk) {
        return new LinearNetwork(layout, chunk.outputs(), ((LinearConfig) config).width());
    }
}
