package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import kiban.core.embodiment.EmbodimentSpecs;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Expert;
import kiban.sim.env.TaskSchedule;
import kiban.sim.rollout.RolloutSummary;
import kiban.sim.rollout.Rollouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiban sim}: list the simulators and run episodes in them. */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = "List the simulators, run episodes with the expert or a random policy, or serve one as an OPC UA machine.",
        subcommands = {SimCommand.ListCommand.class, SimCommand.RunCommand.class, SimOpcUaCommand.class})
final class SimCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static ObjectNode specTree(EnvSpec s) {
        ObjectNode o = Json.object();
        o.put("name", s.name());
        o.put("description", s.description());
        o.put("embodiment", s.embodiment().name());
        o.put("control_hz", s.controlHz());
        o.put("max_steps", s.maxSteps());
        ArrayNode obs = o.putArray("observation");
        s.observation().forEach(f -> obs.add(EmbodimentSpecs.featureTree(f)));
        ArrayNode act = o.putArray("action");
        s.action().forEach(f -> act.add(EmbodimentSpecs.featureTree(f)));
        ArrayNode tasks = o.putArray("tasks");
        s.tasks().forEach(t -> tasks.addObject().put("name", t.name()).put("instruction", t.instruction()));
        ArrayNode cams = o.putArray("cameras");
        s.cameras().forEach(c -> cams.addObject().put("name", c.name()).put("height", c.height())
                .put("width", c.width()).put("channels", c.channels()));
        return o;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the simulators.")
    static final class ListCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print a JSON array: name, embodiment, control_hz, observation and action specs.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            var providers = EnvRegistry.load().all();
            if (json) {
                ArrayNode array = Json.array();
                providers.forEach(p -> array.add(specTree(p.spec())));
                out.println(Json.pretty(array));
                return;
            }
            out.printf("%-20s %-13s %6s %5s %6s %9s  %s%n", "NAME", "EMBODIMENT", "HZ", "OBS", "ACTION", "MAX STEPS", "DESCRIPTION");
            for (EnvProvider p : providers) {
                EnvSpec s = p.spec();
                out.printf("%-20s %-13s %6s %5d %6d %9d  %s%n", s.name(), s.embodiment().name(), Text.number(s.controlHz()),
                        s.observationDim(), s.actionDim(), s.maxSteps(), s.description());
                if (s.tasks().size() > 1) {
                    s.tasks().forEach(t -> out.printf("  task %-20s %s%n", t.name(), t.instruction()));
                }
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run episodes and report their metrics.")
    static final class RunCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--env", required = true, description = "Simulator name (see 'kiban sim list').")
        String env;

        @Option(names = "--policy", defaultValue = "expert", description = "expert, random, or a baseline the env offers (default: ${DEFAULT-VALUE}).")
        String policy;

        @Option(names = "--episodes", defaultValue = "10", description = "Episodes to run (default: ${DEFAULT-VALUE}).")
        int episodes;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the first episode; episode i uses seed+i (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--task", paramLabel = "NAME|all", description = "The task every episode poses, or 'all': episode i "
                + "poses the env's task i mod k (default: the env's first; 'kiban sim list' names them).")
        String task;

        @Option(names = "--video", description = "Write the first episode as a .gif or .mp4 file.")
        Path video;

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Override
        public void run() {
            if (episodes < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--episodes must be at least 1, got " + episodes);
            }
            EnvProvider provider = EnvRegistry.load().get(env);
            Function<Env, Expert> policyFactory = provider.policy(policy);
            TaskSchedule tasks = TaskSchedule.of(provider.spec(), task);
            RolloutSummary summary;
            try (Env e = provider.create(EnvConfig.DEFAULT);
                    Progress progress = Progress.start("sim " + env, "episodes", episodes, true)) {
                summary = Rollouts.run(e, policyFactory, policy, episodes, seed, tasks, video, progress);
            }
            print(summary);
        }

        private void print(RolloutSummary s) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = Json.object();
                o.put("env", s.env());
                o.put("policy", s.policy());
                o.put("episodes", s.episodes());
                o.put("seed", seed);
                o.put("success_rate", s.successRate());
                ObjectNode perTask = o.putObject("success_rate_per_task");
                s.successRatePerTask().forEach(perTask::put);
                o.put("mean_reward", s.meanReward());
                o.put("mean_length", s.meanLength());
                o.put("steps_per_second", s.stepsPerSecond());
                o.put("env_steps_per_second", s.envStepsPerSecond());
                s.metrics().forEach(o::put);
                if (video != null) {
                    o.put("video", video.toString());
                }
                out.println(Json.pretty(o));
                return;
            }
            out.printf("%s, %s policy, %s from seed %d%n", s.env(), s.policy(), Text.count(s.episodes(), "episode"), seed);
            out.printf("  success rate       %.3f%n", s.successRate());
            if (s.successRatePerTask().size() > 1) {
                s.successRatePerTask().forEach((t, rate) -> out.printf("    task %-13s %.3f%n", t, rate));
            }
            out.printf("  mean reward        %.3f%n", s.meanReward());
            out.printf("  mean length        %.1f steps%n", s.meanLength());
            out.printf("  steps per second   %.0f (env alone %.0f)%n", s.stepsPerSecond(), s.envStepsPerSecond());
            s.metrics().forEach((k, v) -> out.printf("  %-18s %s%n", k.replace('_', ' '), Text.number(v)));
            if (video != null) {
                out.println("  video              " + video);
            }
        }
    }
}
