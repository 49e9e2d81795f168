package kiban.sim.pusht;

import java.util.Map;
import java.util.SplittableRandom;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.Expert;
import kiban.sim.env.ExpertEpisode;
import kiban.sim.env.StepResult;

/**
 * Single-thread measurements, run by hand (not a test):
 * <ul>
 *   <li>{@code PushTBenchmark steps [N]}: env steps per second, state only, with random targets
 *       near the block so contacts are frequent (the expensive case);</li>
 *   <li>{@code PushTBenchmark expert [FIRST_SEED] [EPISODES]}: the expert's success rate, mean of
 *       the per-episode best coverage, and seconds per episode.</li>
 * </ul>
 */
public final class PushTBenchmark {

    private PushTBenchmark() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "steps";
        if (mode.equals("expert")) {
            long first = args.length > 1 ? Long.parseLong(args[1]) : 0;
            int episodes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
            expert(first, episodes);
        } else {
            steps(args.length > 1 ? Integer.parseInt(args[1]) : 200_000);
        }
    }

    private static void steps(int steps) {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        SplittableRandom random = new SplittableRandom(1);
        for (int round = 0; round < 3; round++) {
            long seed = 0;
            double[] s = env.reset(seed).state();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                StepResult r = env.step(new double[] {s[2] + random.nextDouble(-60, 60), s[3] + random.nextDouble(-60, 60)});
                s = r.done() ? env.reset(++seed).state() : r.observation().state();
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %d steps in %.2f s = %.0f steps/s (10 physics substeps each, %d episodes)%n",
                    round, steps, sec, steps / sec, seed + 1);
        }
    }

    private static void expert(long first, int episodes) {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        Expert expert = new PushTProvider().expert(env);
        int successes = 0;
        double coverage = 0;
        long steps = 0;
        long t0 = System.nanoTime();
        for (long seed = first; seed < first + episodes; seed++) {
            ExpertEpisode.run(env, expert, seed);
            Map<String, Double> m = env.episodeMetrics();
            successes += env.success() ? 1 : 0;
            coverage += m.get("mean_coverage");
            steps += env.elapsedSteps();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("seeds %d..%d: success %d/%d (%.2f), mean best coverage %.3f, %.1f steps and %.2f s per episode%n",
                first, first + episodes - 1, successes, episodes, (double) successes / episodes, coverage / episodes,
                (double) steps / episodes, sec / episodes);
    }
}
