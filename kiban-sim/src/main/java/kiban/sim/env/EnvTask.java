package kiban.sim.env;

import java.util.regex.Pattern;

/**
 * One task an env can pose, chosen at reset: a short name for command lines and reports, and the
 * English instruction a policy is given (LeRobot's per-episode {@code task}, openpi's
 * {@code prompt}). Where an env poses several, the instruction carries what the state does not:
 * the same seed starts the same scene whatever the task.
 */
public record EnvTask(String name, String instruction) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public EnvTask {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a task name is lower-case words joined by '-', got " + name);
        }
        if (instruction == null || instruction.isBlank()) {
            throw new IllegalArgumentException("task " + name + " needs an instruction");
        }
    }
}
