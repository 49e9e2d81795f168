package kiban.sim.rollout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import kiban.core.progress.Progress;
import kiban.sim.env.Env;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Expert;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import kiban.sim.env.TaskSchedule;
import kiban.sim.render.VideoWriter;

/** Runs episodes of one env with one policy, seeds {@code seed, seed+1, ...}. */
public final class Rollouts {

    /** Size of video frames; big enough to see the task, small enough to keep files light. */
    public static final int VIDEO_SIZE = 256;

    /** Longest video in frames; longer episodes (days of a factory cell) are sampled evenly. */
    public static final int MAX_VIDEO_FRAMES = 300;

    private Rollouts() {}

    /** Every how many steps a frame is kept so that an episode of {@code maxSteps} fits the frame budget. */
    public static int frameStride(int maxSteps) {
        return Math.max(1, (maxSteps + MAX_VIDEO_FRAMES - 1) / MAX_VIDEO_FRAMES);
    }

    /** Runs {@code episodes} episodes of the env's first task; see the overload that takes a schedule. */
    public static RolloutSummary run(Env env, Function<Env, Expert> policyFactory, String policyName, int episodes,
            long seed, Path video, Progress progress) {
        return run(env, policyFactory, policyName, episodes, seed, TaskSchedule.of(env.spec(), null), video, progress);
    }

    /**
     * Runs {@code episodes} episodes, episode {@code i} of the schedule's task {@code i}, and
     * summarises them. Where {@code video} is set, the first episode is rendered into it (GIF or
     * MP4 by extension).
     */
    public static RolloutSummary run(Env env, Function<Env, Expert> policyFactory, String policyName, int episodes,
            long seed, TaskSchedule tasks, Path video, Progress progress) {
        Expert policy = policyFactory.apply(env);
        List<EpisodeResult> results = new ArrayList<>(episodes);
        long start = System.nanoTime();
        long inStep = 0;
        for (int e = 0; e < episodes; e++) {
            long episodeSeed = seed + e;
            EnvTask task = tasks.forEpisode(e);
            Observation obs = env.reset(episodeSeed, task);
            policy.reset(episodeSeed);
            boolean recording = video != null && e == 0;
            int stride = frameStride(env.spec().maxSteps());
            List<Image> frames = new ArrayList<>();
            if (recording) {
                frames.add(env.render(VIDEO_SIZE, VIDEO_SIZE));
            }
            double total = 0;
            while (true) {
                double[] action = policy.act(obs);
                long t0 = System.nanoTime();
                StepResult r = env.step(action);
                inStep += System.nanoTime() - t0;
                total += r.reward();
                obs = r.observation();
                if (recording && (env.elapsedSteps() % stride == 0 || r.done())) {
                    frames.add(env.render(VIDEO_SIZE, VIDEO_SIZE));
                }
                if (r.done()) {
                    break;
                }
            }
            results.add(new EpisodeResult(episodeSeed, task.name(), env.success(), total, env.elapsedSteps(), env.episodeMetrics()));
            if (recording) {
                VideoWriter.write(video, frames, Math.max(5, Math.min(30, env.spec().controlHz() / stride)));
            }
            progress.step(1);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return RolloutSummary.of(env.spec().name(), policyName, results, wall, inStep / 1e9);
    }
}
