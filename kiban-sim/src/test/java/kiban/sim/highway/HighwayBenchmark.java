package kiban.sim.highway;

import java.util.Map;
import java.util.SplittableRandom;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;

/**
 * Not a test: measures the expert over many seeds and the env's single-thread step rate.
 * Run with
 * {@code mvn -B -q -o -pl kiban-sim -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test}
 * then {@code java -cp kiban-sim/target/classes:kiban-sim/target/test-classes:$(cat /tmp/cp.txt) kiban.sim.highway.HighwayBenchmark [seeds] [steps]}.
 */
public final class HighwayBenchmark {

    private HighwayBenchmark() {}

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        expert(seeds);
        throughput(steps);
        renders(steps / 50);
    }

    static void renders(long frames) {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        env.reset(0);
        long t0 = 0;
        for (long i = -frames / 4; i < frames; i++) {
            if (i == 0) {
                t0 = System.nanoTime();
            }
            env.render(96, 96);
        }
        System.out.printf("96x96 renders/s: %.0f%n", frames / ((System.nanoTime() - t0) / 1e9));
    }

    static void expert(int seeds) {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        HighwayExpert expert = new HighwayExpert(env);
        double collisions = 0;
        double speed = 0;
        double ret = 0;
        double laneChanges = 0;
        int successes = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Observation obs = env.reset(seed);
            expert.reset(seed);
            double r = 0;
            while (true) {
                StepResult s = env.step(expert.act(obs));
                r += s.reward();
                obs = s.observation();
                if (s.done()) {
                    break;
                }
            }
            Map<String, Double> m = env.episodeMetrics();
            if (m.get("collision_rate") > 0) {
                System.out.printf("seed %d: collision at step %d (x=%.1f lane=%d)%n", seed, env.elapsedSteps(), env.ego().x(), env.ego().lane());
            }
            collisions += m.get("collision_rate");
            speed += m.get("mean_speed");
            laneChanges += m.get("lane_changes");
            ret += r;
            successes += env.success() ? 1 : 0;
        }
        System.out.printf("expert over %d seeds: collision_rate %.3f, mean_speed %.2f m/s, success %.3f, mean return %.2f, lane_changes %.1f%n",
                seeds, collisions / seeds, speed / seeds, successes / (double) seeds, ret / seeds, laneChanges / seeds);
    }

    static void throughput(long steps) {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        SplittableRandom random = new SplittableRandom(1);
        long seed = 0;
        env.reset(seed++);
        // Warm up the JIT, then time.
        for (int round = 0; round < 2; round++) {
            long t0 = System.nanoTime();
            long n = round == 0 ? steps / 4 : steps;
            for (long i = 0; i < n; i++) {
                double[] a = {random.nextDouble(-1, 1), random.nextDouble(-0.02, 0.02)};
                if (env.step(a).done()) {
                    env.reset(seed++);
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (round == 1) {
                System.out.printf("env steps/s single thread (state only, 51 vehicles): %.0f over %d steps (%d episodes)%n", n / s, n, seed);
            }
        }
    }
}
