package kiban.sim.env;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import kiban.core.error.KibanException;

/**
 * N copies of an env stepped together on a thread pool. A copy whose episode ends is reset to
 * the next seed of its own sequence ({@code baseSeed + index + k * n}), so the whole batch is
 * reproducible whatever the thread timing.
 */
public final class VectorEnv implements AutoCloseable {

    private final List<Env> envs;
    private final ExecutorService pool;
    private final long[] nextSeed;
    private final int threads;

    public VectorEnv(Supplier<Env> factory, int copies, int threads) {
        if (copies < 1 || threads < 1) {
            throw new IllegalArgumentException("copies and threads must be positive, got " + copies + " and " + threads);
        }
        envs = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            envs.add(factory.get());
        }
        pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
            Thread t = new Thread(r, "kiban-vector-env");
            t.setDaemon(true);
            return t;
        });
        nextSeed = new long[copies];
        this.threads = threads;
    }

    public int size() {
        return envs.size();
    }

    public Env env(int index) {
        return envs.get(index);
    }

    public Observation[] reset(long baseSeed) {
        Observation[] out = new Observation[envs.size()];
        for (int i = 0; i < envs.size(); i++) {
            nextSeed[i] = baseSeed + i;
            out[i] = envs.get(i).reset(nextSeed[i]);
            nextSeed[i] += envs.size();
        }
        return out;
    }

    /**
     * Steps every copy with its action, in parallel. A copy whose episode ended is reset and the
     * result holds the first observation of its new episode (with the ended step's reward and flags).
     */
    public StepResult[] step(double[][] actions) {
        if (actions.length != envs.size()) {
            throw new IllegalArgumentException("need " + envs.size() + " actions, got " + actions.length);
        }
        int chunks = Math.min(envs.size(), threads);
        StepResult[] out = new StepResult[envs.size()];
        List<Future<?>> futures = new ArrayList<>(chunks);
        // The calling thread steps the first chunk itself: one hand-off fewer per step, which is
        // most of the cost for simulators that step in microseconds.
        for (int c = 1; c < chunks; c++) {
            int from = c * envs.size() / chunks;
            int to = (c + 1) * envs.size() / chunks;
            futures.add(pool.submit(() -> stepRange(actions, out, from, to)));
        }
        stepRange(actions, out, 0, envs.size() / chunks);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new KibanException("vectorised step failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KibanException("interrupted while stepping", e);
            }
        }
        return out;
    }

    private void stepRange(double[][] actions, StepResult[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            StepResult r = envs.get(i).step(actions[i]);
            if (r.done()) {
                Observation first = envs.get(i).reset(nextSeed[i]);
                nextSeed[i] += envs.size();
                r = new StepResult(first, r.reward(), r.terminated(), r.truncated(), r.info());
            }
            out[i] = r;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        envs.forEach(Env::close);
    }
}
