package kiban.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.progress.Progress;
import kiban.policy.run.Policies;
import kiban.sim.env.Env;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Expert;
import kiban.sim.env.TaskSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban data record}: simulator episodes into a LeRobot dataset. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Record simulator episodes as a LeRobot v3.0 dataset (crash-safe; --resume continues one).")
final class DataRecordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, description = "Simulator name (see 'kiban sim list').")
    String env;

    @Option(names = "--policy", defaultValue = "expert", description = "expert, random, or a baseline the env offers (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--episodes", required = true, description = "Episodes the dataset should hold.")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of episode 0; episode i uses seed+i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder to create.")
    Path out;

    @Option(names = "--resume", description = "Continue a recording in DIR that was interrupted.")
    boolean resume;

    @Option(names = "--force", description = "Replace an existing dataset in DIR.")
    boolean force;

    @Option(names = "--video", description = "Also record the env's camera as LeRobot video (observation.images.<camera>, "
            + "H.264 mp4 through ffmpeg).")
    boolean video;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "F",
            description = "DART: execute each action plus Gaussian noise of F times its half-range while recording the clean "
                    + "action, so the data shows recoveries from small mistakes (default: ${DEFAULT-VALUE}, none).")
    double noise;

    @Option(names = "--driver", paramLabel = "RUN",
            description = "DAgger: a trained policy (run folder or checkpoint) drives the env while the expert's actions are "
                    + "recorded, so the data shows the states the policy reaches and the expert's corrections there. "
                    + "Add these episodes to its training data with --resume and a larger --episodes.")
    Path driver;

    @Option(names = "--task", paramLabel = "NAME|all", description = "The task every episode poses, or 'all': episode i "
            + "poses the env's task i mod k, its instruction the episode's LeRobot task (default: the env's first; "
            + "'kiban sim list' names them). A resumed recording needs the same --task.")
    String task;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin
    RandomizeOption randomize = new RandomizeOption();

    @Override
    public Integer call() {
        if (episodes < 1) {
            throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, got " + episodes);
        }
        if (resume && force) {
            throw new ParameterException(spec.commandLine(), "--resume and --force exclude each other");
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new ParameterException(spec.commandLine(), "--noise must lie in [0, 1] (a fraction of each action's half-range), got " + noise);
        }
        var provider = randomize.apply(EnvRegistry.load().get(env));
        if (!randomize.kinds.isEmpty() && !video) {
            throw new ParameterException(spec.commandLine(), "--randomize " + String.join(",", randomize.kinds)
                    + " changes only the camera picture, which is recorded with --video: add --video");
        }
        Function<Env, Expert> factory = provider.policy(policy);
        TaskSchedule tasks = TaskSchedule.of(provider.spec(), task);
        if (driver != null && !"expert".equals(policy)) {
            throw new ParameterException(spec.commandLine(), "--driver records the expert's labels; drop --policy " + policy);
        }
        SimRecorder.Result r;
        // Ctrl-C or SIGTERM ends the recording between episodes and closes the dataset, so it validates
        // with every episode saved so far, however early the signal came.
        AtomicBoolean stop = new AtomicBoolean();
        try (StopSignals signals = new StopSignals(() -> stop.set(true))) {
            try (Policy driving = driver == null ? null : Policies.load(driver);
                    Progress p = Progress.start("record " + env, "episodes", episodes, true)) {
                PolicyDriver d = driving == null ? null : PolicyDriver.of(driving, driver, provider.spec());
                if (d != null && d.readsImages() && !video) {
                    throw new ParameterException(spec.commandLine(), "the driver reads the env's camera; add --video so that "
                            + "the env renders it (and the dataset keeps the frames it saw)");
                }
                r = SimRecorder.record(provider, factory, episodes, seed, tasks, out, resume, force, video, noise, d, p, stop::get);
            }
            report(r);
            return r.stopped() ? "SIGTERM".equals(signals.received()) ? 143 : 130 : 0;
        }
    }

    private void report(SimRecorder.Result r) {
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            var n = Json.object().put("dataset", r.dir().toString()).put("env", env).put("policy", policy)
                    .put("episodes", r.totalEpisodes()).put("recorded", r.recorded()).put("recorded_frames", r.frames())
                    .put("recorded_successes", r.successes()).put("noise", noise)
                    .put("driver", driver == null ? null : driver.toString())
                    .put("video", r.videoKeys().isEmpty() ? null : r.videoKeys().getFirst()).put("seconds", r.seconds())
                    .put("stopped", r.stopped());
            r.videoKeys().forEach(n.putArray("videos")::add);
            o.println(Json.pretty(n));
        } else {
            o.printf("recorded %s (%s, %s) of %s into %s in %.1f s; the dataset holds %d%n", Text.count(r.recorded(), "episode"),
                    Text.count(r.frames(), "frame"), Text.count(r.successes(), "success", "successes"), env, r.dir(), r.seconds(),
                    r.totalEpisodes());
            if (r.stopped()) {
                o.printf("stopped before episode %d of %d: the dataset is complete as it is; --resume records the rest%n",
                        r.totalEpisodes() + 1, episodes);
            }
        }
        o.flush();
    }
}
