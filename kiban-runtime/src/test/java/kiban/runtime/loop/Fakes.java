package kiban.runtime.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.embodiment.SafetyEnvelope;
import kiban.core.embodiment.StopMode;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;
import kiban.core.machine.Telemetry;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import kiban.runtime.shield.SafetyShield;

/** A one-element machine that records every command, and policies built from a function of the observation cycle. */
final class Fakes {

    static final FeatureSpec STATE = new FeatureSpec("cycle", "1", List.of(1), List.of(), List.of(0.0), List.of(1e6), List.of());
    static final FeatureSpec ACTION = new FeatureSpec("u", "1", List.of(1), List.of(), List.of(-1e6), List.of(1e6), List.of());

    private Fakes() {}

    /** Observes the number of its reading (the loop reads once a cycle: the cycle); records every command. */
    static final class CountingMachine implements Machine {
        final List<double[]> commands = new ArrayList<>();
        int stops;
        /** The loop reads once for its warm-up inference before cycle 0. */
        private long reads = -1;
        /** The cycle from which the e-stop input is pressed. */
        long estopFrom = Long.MAX_VALUE;
        /** The cycle from which the link is lost. */
        long disconnectFrom = Long.MAX_VALUE;
        /** The cycles [from, until) in which an operator commands {@link #operatorCommand} directly. */
        long operatorFrom = Long.MAX_VALUE;
        long operatorUntil = Long.MAX_VALUE;
        double[] operatorCommand = {-3};
        /** The cycles [from, until) whose readings keep the timestamp of cycle {@code freezeFrom}'s: a frozen upstream. */
        long freezeFrom = Long.MAX_VALUE;
        long freezeUntil = Long.MAX_VALUE;
        private long frozenAt;
        /** The command from which {@link #command} throws (counting from 0), and how many in a row. */
        long throwFrom = Long.MAX_VALUE;
        long throwCount = Long.MAX_VALUE;
        /** Failed commands in a row as the machine reports them in the reading of each cycle (an asynchronous adapter). */
        java.util.function.LongUnaryOperator reportedFailures = cycle -> 0;
        private long attempts;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public List<FeatureSpec> observationFeatures() {
            return List.of(STATE);
        }

        @Override
        public List<FeatureSpec> actionFeatures() {
            return List.of(ACTION);
        }

        @Override
        public MachineReading read() {
            long cycle = reads++;
            boolean operator = cycle >= operatorFrom && cycle < operatorUntil;
            long now = System.nanoTime();
            if (cycle == freezeFrom) {
                frozenAt = now;
            }
            long timestamp = cycle >= freezeFrom && cycle < freezeUntil ? frozenAt : now;
            int failed = (int) reportedFailures.applyAsLong(cycle);
            return new MachineReading(new double[] {cycle}, timestamp, cycle < disconnectFrom, cycle >= estopFrom,
                    operator ? operatorCommand : null, null, failed, failed > 0 ? "node u: Bad_NotWritable" : "");
        }

        @Override
        public void command(double[] action) {
            long n = attempts++;
            if (n >= throwFrom && n - throwFrom < throwCount) {
                throw new IllegalStateException("the drive refused command " + n);
            }
            commands.add(action.clone());
        }

        @Override
        public void stop() {
            stops++;
        }
    }

    /**
     * A position follower that reports its set point: it is at the last command it was given, and a
     * reset (every {@code episodeCycles} commands) puts it back at {@code home}.
     */
    static final class FollowingMachine implements Machine, Episodic {
        final List<double[]> commands = new ArrayList<>();
        final double home;
        final int episodeCycles;
        private double position;
        private long episode;
        /** When set, every reading carries this timestamp: an upstream frozen from the start. */
        Long frozenTimestamp;

        FollowingMachine(double home, int episodeCycles) {
            this.home = home;
            this.episodeCycles = episodeCycles;
            this.position = home;
        }

        @Override
        public String name() {
            return "following";
        }

        @Override
        public List<FeatureSpec> observationFeatures() {
            return List.of(STATE);
        }

        @Override
        public List<FeatureSpec> actionFeatures() {
            return List.of(RATE_LIMITED);
        }

        @Override
        public MachineReading read() {
            long timestamp = frozenTimestamp != null ? frozenTimestamp : System.nanoTime();
            return new MachineReading(new double[] {position}, timestamp, true, false, null, new double[] {position}, 0, "");
        }

        @Override
        public void command(double[] action) {
            commands.add(action.clone());
            position = action[0];
            if (commands.size() % episodeCycles == 0) {
                episode++;
                position = home;
            }
        }

        @Override
        public void stop() {}

        @Override
        public long episode() {
            return episode;
        }
    }

    /** An action of 0..100 at most 10 per second. */
    static final FeatureSpec RATE_LIMITED = new FeatureSpec("u", "1", List.of(1), List.of(), List.of(0.0), List.of(100.0), List.of(10.0));

    /** A policy whose chunk row i is {@code rows.apply(observed cycle)[i]}, after {@code delay}. */
    static Policy policy(int horizon, int actionSteps, Function<Long, double[][]> rows, Runnable delay) {
        return new UnbatchedPolicy() {
            @Override
            public PolicyMetadata metadata() {
                return new PolicyMetadata("fake", List.of(STATE), List.of(ACTION), 1, horizon, actionSteps);
            }

            @Override
            public double[][] inferOne(PolicyObservation[] observed) {
                double[][] history = PolicyObservation.states(observed);
                delay.run();
                return rows.apply((long) history[0][0]);
            }
        };
    }

    /**
     * A policy that continues chunks as a flow policy does, recognisably. Each call is generation
     * {@code k = 1, 2, ...}; every row it writes itself carries the tag {@code k * TAG}, so an executed
     * row tells which call wrote it. A plain chunk observed at cycle {@code s} plans
     * {@code 1000 k + s + i} (so plain chunks jump by thousands); a continued one returns the frozen
     * rows, then goes on from the last of them by 1 a row. With {@code gated}, each call waits for
     * a {@link #release} first, so a test decides when the inference comes back.
     */
    static final class ContinuingPolicy implements UnbatchedPolicy {
        static final double TAG = 1e-3;
        final List<double[][]> chunks = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<double[][]> frozenSeen = java.util.Collections.synchronizedList(new ArrayList<>());
        /** The rows after the frozen ones each soft-masked call was given (none with the hard mask). */
        final List<double[][]> followingSeen = java.util.Collections.synchronizedList(new ArrayList<>());
        private final PolicyMetadata metadata;
        private final Runnable delay;
        private final java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
        volatile boolean gated;
        /** Calls begun, counted before the gate. */
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        private int generation;

        ContinuingPolicy(PolicyMetadata metadata, Runnable delay) {
            this.metadata = metadata;
            this.delay = delay;
        }

        @Override
        public PolicyMetadata metadata() {
            return metadata;
        }

        @Override
        public double[][] inferOne(PolicyObservation[] observed) {
            double[][] history = PolicyObservation.states(observed);
            pause();
            int k = ++generation;
            long s = (long) history[history.length - 1][0];
            double[][] rows = new double[metadata.horizon()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new double[] {1000.0 * k + s + i + k * TAG};
            }
            chunks.add(rows);
            return rows;
        }

        @Override
        public boolean continuesChunks() {
            return true;
        }

        @Override
        public double[][] inferContinuing(kiban.core.policy.PolicyObservation[] history, double[][] frozen, double[][] following) {
            followingSeen.add(following);
            return inferContinuing(history, frozen);
        }

        @Override
        public double[][] inferContinuing(kiban.core.policy.PolicyObservation[] history, double[][] frozen) {
            frozenSeen.add(frozen);
            pause();
            int k = ++generation;
            double[][] rows = new double[metadata.horizon()][];
            double last = Math.floor(frozen[frozen.length - 1][0]);
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i < frozen.length ? frozen[i].clone() : new double[] {last + (i - frozen.length + 1) + k * TAG};
            }
            chunks.add(rows);
            return rows;
        }

        /** Waits until a call is waiting at the gate. */
        void awaitWaiting() {
            while (!gate.hasQueuedThreads()) {
                Thread.onSpinWait();
            }
        }

        /** Lets one waiting call return. */
        void release() {
            gate.release();
        }

        /** The call that wrote {@code row} (its tag). */
        static int generation(double row) {
            return (int) Math.round((row - Math.floor(row)) / TAG);
        }

        private void pause() {
            calls.incrementAndGet();
            delay.run();
            if (gated) {
                gate.acquireUninterruptibly();
            }
        }
    }

    static SafetyShield shield(StopMode stop) {
        return shield(stop, ACTION);
    }

    static SafetyShield shield(StopMode stop, FeatureSpec action) {
        SafetyEnvelope env = new SafetyEnvelope(2, stop, java.util.Map.of(), java.util.Map.of(), List.of(), List.of(), Double.NaN,
                Double.NaN);
        return SafetyShield.builder(List.of(action), List.of(STATE), env).setDt(0.01).build();
    }

    static LoopReport run(Machine m, Policy p, SafetyShield s, double hz, long cycles, ChunkQueue.Blend blend, int inferEvery) {
        return run(m, p, s, hz, cycles, blend, inferEvery, List.of());
    }

    static LoopReport run(Machine m, Policy p, SafetyShield s, double hz, long cycles, ChunkQueue.Blend blend, int inferEvery,
            List<CycleListener> listeners) {
        return run(m, p, s, LoopConfig.ofCycles(hz, cycles, blend, inferEvery).withBlending(0.01, 3), listeners);
    }

    static LoopReport run(Machine m, Policy p, SafetyShield s, LoopConfig c, List<CycleListener> listeners) {
        return new ControlLoop(m, p, s, c, listeners, Telemetry.none(), System.err).run();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
