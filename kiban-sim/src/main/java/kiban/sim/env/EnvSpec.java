package kiban.sim.env;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kiban.core.embodiment.CameraSpec;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.UnknownNameException;

/**
 * What an env observes and accepts, and the tasks it poses. The action features are the
 * embodiment's; the observation features start with the embodiment's state and may add task
 * features (a cube's pose, nearby vehicles) that the machine itself does not report. The first
 * task is the one {@link Env#reset(long)} poses.
 */
public record EnvSpec(
        String name,
        String description,
        EmbodimentSpec embodiment,
        List<FeatureSpec> observation,
        List<CameraSpec> cameras,
        double controlHz,
        int maxSteps,
        List<EnvTask> tasks) {

    public EnvSpec {
        observation = List.copyOf(observation);
        cameras = List.copyOf(cameras);
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("env " + name + " poses no task");
        }
        Set<String> names = new HashSet<>();
        for (EnvTask t : tasks) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("env " + name + " names task " + t.name() + " twice");
            }
        }
    }

    /** An env of one task, whose instruction is the env's description. */
    public EnvSpec(String name, String description, EmbodimentSpec embodiment, List<FeatureSpec> observation,
            List<CameraSpec> cameras, double controlHz, int maxSteps) {
        this(name, description, embodiment, observation, cameras, controlHz, maxSteps,
                List.of(new EnvTask(DEFAULT_TASK, description)));
    }

    /** The name of the one task of an env that poses one. */
    public static final String DEFAULT_TASK = "default";

    /**
     * Whether a policy is told each episode's task instruction: where the env poses several tasks,
     * only the instruction tells them apart; an env of one task has nothing to tell.
     */
    public boolean instructs() {
        return tasks.size() > 1;
    }

    /** The task {@link Env#reset(long)} poses. */
    public EnvTask defaultTask() {
        return tasks.getFirst();
    }

    /** The task named {@code name}; an unknown name fails, offering the closest. */
    public EnvTask task(String name) {
        for (EnvTask t : tasks) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new UnknownNameException("task", name, tasks.stream().map(EnvTask::name).toList());
    }

    public List<FeatureSpec> action() {
        return embodiment.action();
    }

    public int observationDim() {
        return observation.stream().mapToInt(FeatureSpec::size).sum();
    }

    public int actionDim() {
        return embodiment.actionDim();
    }
}
