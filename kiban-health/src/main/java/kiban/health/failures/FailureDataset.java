package kiban.health.failures;

import java.nio.file.Path;
import java.util.List;

/** The failures of one learning problem as read from its file. */
public record FailureDataset(LearningProblem problem, Path file, List<FailureInstance> instances) {

    public FailureDataset {
        instances = List.copyOf(instances);
    }

    public int size() {
        return instances.size();
    }

    /** Each instance's class index, in file order. */
    public int[] labels() {
        return instances.stream().mapToInt(FailureInstance::label).toArray();
    }

    /** Instances per class, indexed as {@link LearningProblem#labels()}. */
    public int[] classCounts() {
        int[] counts = new int[problem.labels().size()];
        instances.forEach(i -> counts[i.label()]++);
        return counts;
    }
}
