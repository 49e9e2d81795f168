package kiban.policy.linear;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiban.policy.model.PolicyConfig;

/** The {@code linear} policy's one setting: the width of its one hidden layer ({@code linear_width}). */
public record LinearConfig(int width) implements PolicyConfig {

    @Override
    public String type() {
        return LinearType.NAME;
    }

    @Override
    public void write(ObjectNode fields) {
        fields.put("linear_width", width);
    }
}
