package kiban.runtime.loop;

import kiban.core.policy.DeltaActions;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;

/**
 * The policy's side of a cycle: keeps the observation history, hands it to the
 * {@link InferenceWorker} when a chunk is due (every {@code inferEvery} cycles, or when the queue
 * runs dry) and waits for it up to a share of the period, so a fast policy acts on the cycle it
 * observed; then takes this cycle's action from the {@link ChunkQueue}.
 */
final class ActionSource implements AutoCloseable {

    private final Policy policy;
    private final LoopConfig config;
    private final ChunkQueue queue;
    private final ObservationWindow window;
    private final long waitNanos;
    private InferenceWorker worker;
    /** Bumped at each new episode, so a chunk inferred for the last one is never executed. */
    private long epoch;
    private long lastRequest = Long.MIN_VALUE / 2;

    ActionSource(Policy policy, LoopConfig config) {
        PolicyMetadata m = policy.metadata();
        this.policy = policy;
        this.config = config;
        this.queue = new ChunkQueue(config.blend(), config.decay(), config.crossfade(), m.actionDim(), DeltaActions.of(m));
        this.window = new ObservationWindow(m.observationSteps(), m.observationDim());
        this.waitNanos = Math.round(config.periodNanos() * config.waitFraction());
    }

    /**
     * One untimed inference on the first observation, then starts the inference thread: a model's
     * first call (JIT, native warm-up) can take 100x a normal one.
     */
    void warmUp(double[] observation) {
        window.push(observation);
        policy.infer(window.snapshot());
        policy.reset();
        window.clear();
        worker = new InferenceWorker(policy);
    }

    /** The machine started a new episode: forget the history, the queued chunks and the one in flight. */
    void newEpisode() {
        epoch++;
        window.clear();
        queue.clear();
        lastRequest = Long.MIN_VALUE / 2;
    }

    /**
     * Adds {@code observation} to the history, asks for a chunk when one is due, and returns the
     * action for {@code cycle}, or null when there is none or {@code actOnIt} is false (the reading
     * is no basis for a command).
     */
    double[] next(long cycle, long deadline, double[] observation, boolean actOnIt) {
        window.push(observation);
        Chunk chunk = worker.poll();
        if (chunk != null && chunk.epoch() == epoch) {
            queue.add(chunk, cycle);
        }
        boolean due = cycle - lastRequest >= config.inferEvery() || queue.remaining(cycle) == 0;
        if (due && !worker.busy() && worker.request(cycle, window.snapshot(), epoch)) {
            lastRequest = cycle;
            Chunk fresh = worker.await(deadline + waitNanos);
            if (fresh != null && fresh.epoch() == epoch) {
                queue.add(fresh, cycle);
            }
        }
        return actOnIt ? queue.next(cycle, observation) : null;
    }

    long chunks() {
        return queue.chunksAdded();
    }

    long expiredActions() {
        return queue.expiredActions();
    }

    /** The inference thread's figures; valid after {@link #close}. */
    InferenceWorker worker() {
        return worker;
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }
}
