package kiban.sim.arm;

import java.util.ArrayList;
import java.util.List;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;

/**
 * Measures the expert's success rate and single-thread env steps per second; a main, not a test.
 * Run after {@code mvn test-compile}: {@code java -cp <classes> kiban.sim.arm.PickPlaceBenchmark [seeds]}.
 */
public final class PickPlaceBenchmark {

    private PickPlaceBenchmark() {}

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        PickPlaceProvider provider = new PickPlaceProvider();
        Env env = provider.create(EnvConfig.DEFAULT);
        Expert expert = provider.expert(env);
        int ok = 0;
        long steps = 0;
        List<double[]> actions = new ArrayList<>();
        List<Long> episodeStarts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (long seed = 0; seed < seeds; seed++) {
            Observation o = env.reset(seed);
            expert.reset(seed);
            episodeStarts.add(steps);
            StepResult r;
            do {
                double[] a = expert.act(o);
                actions.add(a);
                r = env.step(a);
                o = r.observation();
                steps++;
            } while (!r.done());
            ok += env.success() ? 1 : 0;
        }
        double withExpert = steps / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("expert success %d/%d (%.3f), mean episode %.1f steps, env+expert %.0f steps/s%n",
                ok, seeds, (double) ok / seeds, (double) steps / seeds, withExpert);
        for (boolean images : new boolean[] {false, true}) {
            Env replay = provider.create(EnvConfig.DEFAULT.withImages(images));
            double best = 0;
            for (int round = 0; round < 5; round++) { // the first rounds warm the JIT up
                long start = System.nanoTime();
                int e = -1;
                for (int i = 0; i < actions.size(); i++) {
                    if (e + 1 < episodeStarts.size() && episodeStarts.get(e + 1) == i) {
                        e++;
                        replay.reset(e);
                    }
                    replay.step(actions.get(i));
                }
                best = Math.max(best, actions.size() / ((System.nanoTime() - start) / 1e9));
            }
            System.out.printf("env only, images %s: %.0f steps/s (best of 5 rounds of %d steps)%n",
                    images ? "on (96x96)" : "off", best, actions.size());
        }
    }
}
