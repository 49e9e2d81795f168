package kiban.sim.env;

import java.util.List;

/**
 * Which task each episode of a run poses: episode {@code i} poses {@code tasks[i mod k]}, so a run
 * of all an env's tasks gives each the same number of episodes (give or take one) and episode
 * {@code i} always the same task.
 */
public record TaskSchedule(List<EnvTask> tasks) {

    /** The option value that asks for every task in turn. */
    public static final String ALL = "all";

    public TaskSchedule {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a task schedule needs a task");
        }
    }

    /**
     * The schedule a command-line value asks for: null for the env's first task, {@value #ALL} for
     * every task in turn, else the task of that name (an unknown one fails, offering the closest).
     */
    public static TaskSchedule of(EnvSpec spec, String option) {
        if (option == null) {
            return new TaskSchedule(List.of(spec.defaultTask()));
        }
        return new TaskSchedule(option.equals(ALL) ? spec.tasks() : List.of(spec.task(option)));
    }

    /** The task of episode {@code episode} (counted from 0). */
    public EnvTask forEpisode(int episode) {
        return tasks.get(Math.floorMod(episode, tasks.size()));
    }
}
