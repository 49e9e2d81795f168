package kiban.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.CameraSpec;
import kiban.core.progress.Progress;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.Randomization;
import kiban.sim.env.RenderRandomization;
import kiban.sim.env.StepResult;
import kiban.sim.env.VectorEnv;
import kiban.sim.rollout.RandomPolicy;

/**
 * Env steps per second for each simulator: one thread and vectorised, state-only and with camera
 * images rendered into every observation. Actions come from the random policy, computed before
 * the timed loop, so the figure is the simulator's alone. For an env with a camera, two more
 * one-thread figures: steps with the render randomisation on, and camera frames alone (the
 * renderer's rate, free of the physics).
 */
public final class SimBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final double seconds;
    private final int vectorCopies;
    private final int threads;
    private final boolean cpuTime;

    /**
     * @param seconds measured time per figure (after a warm-up of half as long)
     * @param vectorCopies env copies in the vectorised figure
     * @param threads threads of the vectorised figure
     */
    public SimBench(double seconds, int vectorCopies, int threads) {
        this(seconds, vectorCopies, threads, false);
    }

    /**
     * As {@link #SimBench(double, int, int)}; with {@code cpuTime} the one-thread figures count the
     * measuring thread's CPU time instead of the clock's, so other processes on a shared machine
     * slow them far less (the vectorised figures stay on the clock).
     */
    public SimBench(double seconds, int vectorCopies, int threads, boolean cpuTime) {
        this.seconds = seconds;
        this.vectorCopies = vectorCopies;
        this.threads = threads;
        this.cpuTime = cpuTime;
    }

    /** Nanoseconds of the clock or of this thread's CPU. */
    private long now() {
        return cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private String oneThread() {
        return cpuTime ? "1 thread, CPU time" : "1 thread";
    }

    /** How many figures {@link #run} measures for these envs, for a progress bar. */
    public static long figures(List<EnvProvider> providers) {
        return providers.stream().mapToLong(p -> p.spec().cameras().isEmpty() ? 4 : 6).sum();
    }

    public List<Measurement> run(List<EnvProvider> providers, Progress progress) {
        List<Measurement> out = new ArrayList<>();
        for (EnvProvider p : providers) {
            for (boolean images : new boolean[] {false, true}) {
                EnvConfig config = EnvConfig.DEFAULT.withImages(images);
                String mode = images ? "with images" : "state only";
                out.add(single(p, config, mode));
                progress.step(1);
                out.add(vectorised(p, config, mode));
                progress.step(1);
            }
            if (!p.spec().cameras().isEmpty()) {
                EnvConfig randomised = EnvConfig.DEFAULT.withImages(true)
                        .withRandomization(Randomization.NONE.withRender(RenderRandomization.DEFAULT));
                out.add(single(p, randomised, "with render-randomised images"));
                progress.step(1);
                out.add(frames(p));
                progress.step(1);
            }
        }
        return out;
    }

    /** Camera frames per second from {@link Env#render}: 16 frames of a state, then a step outside the timing. */
    private Measurement frames(EnvProvider p) {
        try (Env env = p.create(EnvConfig.DEFAULT)) {
            CameraSpec camera = env.spec().cameras().getFirst();
            double[][] actions = actions(env, 256);
            timedFrames(env, camera, actions, seconds / 2);
            long[] frames = new long[1];
            double elapsed = timedFrames(env, camera, actions, seconds, frames);
            return new Measurement(p.name(), "camera frames alone (" + camera.height() + "x" + camera.width() + "), " + oneThread(),
                    frames[0] / elapsed, "frames/s", frames[0], elapsed);
        }
    }

    private double timedFrames(Env env, CameraSpec camera, double[][] actions, double budget, long... counter) {
        long seed = 0;
        env.reset(seed);
        long frames = 0;
        long rendering = 0;
        long budgetNanos = (long) (budget * 1e9);
        long checksum = 0;
        while (rendering < budgetNanos) {
            StepResult r = env.step(actions[(int) (frames % actions.length)]);
            if (r.done()) {
                env.reset(++seed);
            }
            long start = now();
            for (int i = 0; i < 16; i++) {
                checksum += env.render(camera.height(), camera.width()).rgb()[i];
            }
            rendering += now() - start;
            frames += 16;
        }
        if (counter.length > 0) {
            counter[0] = frames + (checksum == Long.MIN_VALUE ? 1 : 0); // the checksum keeps the frames from being optimised away
        }
        return rendering / 1e9;
    }

    private Measurement single(EnvProvider p, EnvConfig config, String mode) {
        try (Env env = p.create(config)) {
            double[][] actions = actions(env, 256);
            timedSingle(env, actions, seconds / 2);
            long[] steps = new long[1];
            double elapsed = timedSingle(env, actions, seconds, steps);
            return new Measurement(p.name(), mode + ", " + oneThread(), steps[0] / elapsed, "steps/s", steps[0], elapsed);
        }
    }

    private double timedSingle(Env env, double[][] actions, double budget, long... counter) {
        long seed = 0;
        env.reset(seed);
        long steps = 0;
        long start = now();
        long deadline = start + (long) (budget * 1e9);
        while (now() < deadline) {
            for (int i = 0; i < 64; i++) {
                StepResult r = env.step(actions[(int) (steps++ % actions.length)]);
                if (r.done()) {
                    env.reset(++seed);
                }
            }
        }
        if (counter.length > 0) {
            counter[0] = steps;
        }
        return (now() - start) / 1e9;
    }

    private Measurement vectorised(EnvProvider p, EnvConfig config, String mode) {
        try (VectorEnv v = new VectorEnv(() -> p.create(config), vectorCopies, threads)) {
            double[][] pool = actions(v.env(0), 256);
            v.reset(0);
            double[][] batch = new double[vectorCopies][];
            long steps = 0;
            long start = System.nanoTime();
            long warmEnd = start + (long) (seconds / 2 * 1e9);
            long measureStart = 0;
            long deadline = Long.MAX_VALUE;
            long measuredSteps = 0;
            while (true) {
                long now = System.nanoTime();
                if (measureStart == 0 && now >= warmEnd) {
                    measureStart = now;
                    deadline = now + (long) (seconds * 1e9);
                    measuredSteps = 0;
                }
                if (now >= deadline) {
                    break;
                }
                for (int i = 0; i < vectorCopies; i++) {
                    batch[i] = pool[(int) ((steps + i) % pool.length)];
                }
                v.step(batch);
                steps += vectorCopies;
                measuredSteps += vectorCopies;
            }
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            return new Measurement(p.name(), mode + ", " + vectorCopies + " copies on " + threads + " threads",
                    measuredSteps / elapsed, "steps/s", measuredSteps, elapsed);
        }
    }

    private static double[][] actions(Env env, int n) {
        Expert random = new RandomPolicy(env.spec());
        random.reset(42);
        Observation none = null;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = random.act(none);
        }
        return out;
    }
}
