package kiban.policy.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What a training run tells its user: lines of plain text, and the same as JSON for {@code --json}. */
public record TrainOutcome(List<String> lines, ObjectNode json) {

    public TrainOutcome {
        lines = List.copyOf(lines);
    }
}
