package kiban.runtime.loop;

import java.util.Arrays;
import kiban.core.policy.DeltaActions;
import kiban.core.policy.GuidanceMask;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;

/**
 * The policy's side of a cycle: keeps the observation history, hands it to the
 * {@link InferenceWorker} when a chunk is due (every {@code inferEvery} cycles, or when the queue
 * runs dry) and waits for it up to a share of the period, so a fast policy acts on the cycle it
 * observed; then takes this cycle's action from the {@link ChunkQueue}.
 *
 * <p>With {@link ChunkQueue.Blend#CONTINUE} (real-time chunking) each request hands the policy, as
 * frozen rows, the executing chunk's rows for the cycles the inference is expected to take
 * ({@link InferenceDelay}, at most the rows left), and the new chunk replaces it, unblended, at its
 * row for the cycle it arrives in: the cycles actually elapsed since the request. A chunk that
 * arrives after its frozen rows ran out still starts at that row, and is counted as a late switch.
 * With {@link GuidanceMask#SOFT} the executing chunk's rows after the frozen ones guide it as well.
 */
final class ActionSource implements AutoCloseable {

    private final Policy policy;
    private final LoopConfig config;
    private final ChunkQueue queue;
    private final ObservationWindow window;
    private final long waitNanos;
    private final boolean continuing;
    private final InferenceDelay delay;
    private InferenceWorker worker;
    private long switches;
    private long lateSwitches;
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
        this.continuing = config.blend() == ChunkQueue.Blend.CONTINUE;
        this.delay = new InferenceDelay(config.periodNanos());
    }

    /**
     * One untimed inference on the first observation, then starts the inference thread: a model's
     * first call (JIT, native warm-up) can take 100x a normal one.
     */
    void warmUp(double[] observation) {
        window.push(observation);
        double[][] chunk = policy.infer(window.snapshot());
        if (continuing && chunk != null && chunk.length > 0) {
            // Continuing runs other code (the guided sampler's backward pass): warm it up too, then
            // time it warm, so the first switch's frozen rows come from a continuing call's latency.
            PolicyObservation[] history = PolicyObservation.of(window.snapshot());
            double[][] first = {chunk[0]};
            policy.inferContinuing(history, first);
            long t0 = System.nanoTime();
            policy.inferContinuing(history, first);
            delay.record(System.nanoTime() - t0);
        }
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
            add(chunk, cycle);
        }
        boolean due = cycle - lastRequest >= config.inferEvery() || queue.remaining(cycle) == 0;
        if (due && !worker.busy() && request(cycle)) {
            lastRequest = cycle;
            Chunk fresh = worker.await(deadline + waitNanos);
            if (fresh != null && fresh.epoch() == epoch) {
                add(fresh, cycle);
            }
        }
        return actOnIt ? queue.next(cycle, observation) : null;
    }

    private boolean request(long cycle) {
        if (!continuing) {
            return worker.request(cycle, window.snapshot(), epoch);
        }
        double[][] frozen = queue.upcoming(cycle, delay.cycles());
        if (config.rtcMask() == GuidanceMask.HARD) {
            return worker.request(cycle, window.snapshot(), epoch, frozen, null);
        }
        // The soft mask: the running chunk's rows after the frozen ones guide the new chunk too, fading out.
        double[][] rest = queue.upcoming(cycle, queue.remaining(cycle));
        return worker.request(cycle, window.snapshot(), epoch, frozen, Arrays.copyOfRange(rest, frozen.length, rest.length));
    }

    private void add(Chunk chunk, long cycle) {
        queue.add(chunk, cycle);
        if (continuing) {
            delay.record(chunk.inferenceNanos());
            if (chunk.frozen() > 0) {
                switches++;
                if (cycle - chunk.start() > chunk.frozen()) {
                    lateSwitches++;
                }
            }
        }
    }

    /** Chunks that continued the one they replaced (real-time chunking). */
    long switches() {
        return switches;
    }

    /** Of those, the ones that arrived after their frozen rows had run out. */
    long lateSwitches() {
        return lateSwitches;
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
