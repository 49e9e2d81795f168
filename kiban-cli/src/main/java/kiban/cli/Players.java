package kiban.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import kiban.core.error.KibanException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.Expert;

/**
 * Envs, each with its own policy, that play episodes on as many threads. A task borrows whichever
 * pair is free; envs and policies are not shared between threads at once.
 */
final class Players implements AutoCloseable {

    /** One env and the policy that acts in it. */
    record Player(Env env, Expert expert) {}

    private final List<Player> all = new ArrayList<>();
    private final BlockingQueue<Player> free;
    private final ExecutorService threads;

    Players(EnvProvider provider, Function<Env, Expert> policyFactory, boolean images, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("players must be at least 1, got " + count);
        }
        free = new ArrayBlockingQueue<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Env env = provider.create(EnvConfig.DEFAULT.withImages(images));
                Player p = new Player(env, policyFactory.apply(env));
                all.add(p);
                free.add(p);
            }
        } catch (RuntimeException e) {
            closeEnvs();
            throw e;
        }
        threads = Executors.newFixedThreadPool(count, Thread.ofPlatform().daemon().name("player-", 0).factory());
    }

    /** Runs {@code task} on a free player, on one of the threads. */
    <T> Future<T> play(Function<Player, T> task) {
        return threads.submit(() -> {
            Player p = free.take();
            try {
                return task.apply(p);
            } finally {
                free.add(p);
            }
        });
    }

    /** The task's result, with its failure thrown as it was thrown. */
    static <T> T await(Future<T> result) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new KibanException("an episode failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted while waiting for an episode", e);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeEnvs();
    }

    private void closeEnvs() {
        for (Player p : all) {
            try {
                p.env().close();
            } catch (Exception ignored) {
                // Closing the others matters more than one env's complaint on the way out.
            }
        }
    }
}
