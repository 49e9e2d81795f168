package kiban.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.sim.env.Env;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Expert;
import kiban.sim.rollout.RandomPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban data record}: simulator episodes into a LeRobot dataset. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Record simulator episodes as a LeRobot v3.0 dataset (crash-safe; --resume continues one).")
final class DataRecordCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, description = "Simulator name (see 'kiban sim list').")
    String env;

    @Option(names = "--policy", defaultValue = "expert", description = "expert or random (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--episodes", required = true, description = "Episodes the dataset should hold.")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of episode 0; episode i uses seed+i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--noise", defaultValue = "0", description = "Std of Gaussian noise added to executed actions, as a fraction"
            + " of each action range; frames keep the clean action (DART-style recovery data; default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder to create.")
    Path out;

    @Option(names = "--resume", description = "Continue a recording in DIR that was interrupted.")
    boolean resume;

    @Option(names = "--force", description = "Replace an existing dataset in DIR.")
    boolean force;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public void run() {
        if (episodes < 1) {
            throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, got " + episodes);
        }
        if (resume && force) {
            throw new ParameterException(spec.commandLine(), "--resume and --force exclude each other");
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new ParameterException(spec.commandLine(), "--noise must be between 0 and 1 (a fraction of the action range), got " + noise);
        }
        var provider = EnvRegistry.load().get(env);
        Function<Env, Expert> factory = switch (policy) {
            case "expert" -> provider::expert;
            case "random" -> e -> new RandomPolicy(e.spec());
            default -> throw new ParameterException(spec.commandLine(), "--policy must be expert or random, got '" + policy + "'");
        };
        SimRecorder.Result r;
        try (Progress p = Progress.start("record " + env, "episodes", episodes, true)) {
            r = SimRecorder.record(provider, factory, episodes, seed, noise, out, resume, force, p);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            var n = Json.object().put("dataset", r.dir().toString()).put("env", env).put("policy", policy)
                    .put("episodes", r.totalEpisodes()).put("recorded", r.recorded()).put("recorded_frames", r.frames())
                    .put("recorded_successes", r.successes()).put("seconds", r.seconds());
            o.println(Json.pretty(n));
        } else {
            o.printf("recorded %d episodes (%d frames, %d successes) of %s into %s in %.1f s; the dataset holds %d%n",
                    r.recorded(), r.frames(), r.successes(), env, r.dir(), r.seconds(), r.totalEpisodes());
        }
    }
}
