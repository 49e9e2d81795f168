package kiban.runtime.loop;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import kiban.core.error.KibanException;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;
import kiban.core.machine.Telemetry;
import kiban.core.policy.DeltaActions;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.runtime.shield.Reason;
import kiban.runtime.shield.SafetyShield;

/**
 * Drives a {@link Machine} at a fixed rate, after one untimed warm-up inference. Each cycle: wait for the deadline, read the machine,
 * hand the observation history to the inference thread when a new chunk is due (and wait for it up
 * to a share of the period, so a fast policy acts on the cycle it observed), take the action
 * for this cycle from the {@link ChunkQueue}, pass it through the {@link SafetyShield}, command
 * the machine, tell the listeners. The policy never runs on this thread, so a slow or hung model
 * shows up as missing commands (which the shield's watchdog turns into a stop), never as a late loop.
 * The loop warns on {@code warn} when more than {@value #WARN_FRACTION_PERCENT}% of a second's
 * cycles overran or were skipped, at most once every {@value #WARN_EVERY_SECONDS} s.
 */
public final class ControlLoop {

    static final int WARN_FRACTION_PERCENT = 5;
    static final int WARN_EVERY_SECONDS = 10;

    private final Machine machine;
    private final Policy policy;
    private final SafetyShield shield;
    private final LoopConfig config;
    private final List<CycleListener> listeners;
    private final Telemetry telemetry;
    private final PrintStream warn;

    public ControlLoop(Machine machine, Policy policy, SafetyShield shield, LoopConfig config, List<CycleListener> listeners,
            Telemetry telemetry, PrintStream warn) {
        checkCompatible(machine, policy, shield);
        this.machine = machine;
        this.policy = policy;
        this.shield = shield;
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.telemetry = telemetry;
        this.warn = warn;
    }

    /** Runs the configured cycles on a dedicated high-priority thread and returns what it measured. */
    public LoopReport run() {
        AtomicReference<LoopReport> report = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("kiban-loop").priority(Thread.MAX_PRIORITY).unstarted(() -> {
            try {
                report.set(loop());
            } catch (Throwable e) {
                error.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted while the control loop ran", e);
        }
        if (error.get() instanceof RuntimeException re) {
            throw re;
        }
        if (error.get() != null) {
            throw new KibanException("the control loop failed: " + error.get(), error.get());
        }
        return report.get();
    }

    private LoopReport loop() {
        PolicyMetadata m = policy.metadata();
        long period = config.periodNanos();
        long waitNanos = Math.round(period * config.waitFraction());
        Pacer pacer = new Pacer(config.spinNanos());
        ChunkQueue queue = new ChunkQueue(config.blend(), config.decay(), config.crossfade(), m.actionDim(),
                DeltaActions.of(m));
        ObservationWindow window = new ObservationWindow(m.observationSteps(), m.observationDim());
        LatencyHistogram lateness = new LatencyHistogram();
        LatencyHistogram cycleTime = new LatencyHistogram();
        Episodic episodic = machine instanceof Episodic e ? e : null;
        long episode = episodic == null ? 0 : episodic.episode();
        long epoch = 0;
        long skipped = 0;
        long overruns = 0;
        long noCommand = 0;
        long warnings = 0;
        long lastRequest = Long.MIN_VALUE / 2;
        boolean estopSeen = false;
        boolean stopSent = false;
        long windowStart = 0;
        long windowLate = 0;
        long windowWorst = 0;
        long lastWarn = Long.MIN_VALUE / 2;
        long windowCycles = Math.max(1, Math.round(config.hz()));
        // One untimed inference first: a model's first call (JIT, native warm-up) can take 100x a normal one.
        window.push(machine.read().state());
        policy.infer(window.snapshot());
        policy.reset();
        window.clear();
        long started = System.nanoTime();
        long base = started + period;
        try (InferenceWorker worker = new InferenceWorker(policy)) {
            for (long cycle = 0; cycle < config.cycles(); cycle++) {
                long deadline = base + cycle * period;
                long woke = pacer.waitUntil(deadline);
                long late = woke - deadline;
                long wokeLate = late;
                lateness.record(late);
                if (late >= period) {
                    // the deadlines in between are gone: shift the schedule instead of bursting to catch up
                    long missed = late / period;
                    skipped += missed;
                    windowLate += missed;
                    base += missed * period;
                    deadline += missed * period;
                    late -= missed * period;
                }

                if (episodic != null && episodic.episode() != episode) {
                    episode = episodic.episode();
                    epoch++;
                    window.clear();
                    queue.clear();
                    shield.resetHistory();
                    lastRequest = Long.MIN_VALUE / 2;
                    for (CycleListener l : listeners) {
                        l.onEpisodeEnd();
                    }
                }
                MachineReading reading = machine.read();
                double[] observation = reading.state();
                if (reading.emergencyStop() && !estopSeen) {
                    machine.stop();
                }
                estopSeen = reading.emergencyStop();
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
                double[] proposed = reading.connected() ? queue.next(cycle, observation) : null;
                if (proposed == null) {
                    noCommand++;
                }
                double[] operator = reading.operatorCommand();
                double[] sent;
                if (operator != null && !reading.emergencyStop() && shield.acceptsOperatorCommand(operator)) {
                    // The operator has the machine: send nothing, record what they commanded (the data a
                    // fine-tune learns the correction from), and hand back without a jump.
                    shield.takeOver(cycle, proposed, operator);
                    sent = operator;
                } else {
                    sent = shield.filter(cycle, proposed, observation, reading.emergencyStop());
                    if (sent != null) {
                        machine.command(sent);
                        stopSent = false;
                    } else if (!stopSent) {
                        machine.stop();
                        stopSent = true;
                    }
                }
                long reasons = shield.lastReasons();
                for (CycleListener l : listeners) {
                    l.onCycle(cycle, observation, proposed, sent, reasons);
                }

                long end = System.nanoTime();
                cycleTime.record(end - woke);
                if (end > deadline + period) {
                    overruns++;
                    windowLate++;
                }
                windowWorst = Math.max(windowWorst, wokeLate);
                if (cycle - windowStart + 1 >= windowCycles) {
                    if (windowLate * 100 > windowCycles * WARN_FRACTION_PERCENT
                            && end - lastWarn >= WARN_EVERY_SECONDS * 1_000_000_000L) {
                        warn.printf("kiban run: warning: the loop cannot hold %.0f Hz: %d of %d cycles in the last second overran "
                                + "or were skipped (worst lateness %.2f ms); lower --hz or free the CPU%n",
                                config.hz(), windowLate, windowCycles, windowWorst / 1e6);
                        warn.flush();
                        lastWarn = end;
                        warnings++;
                    }
                    telemetry.publish("loop", Map.of("cycle", cycle, "overruns", windowLate, "worst_lateness_ms", windowWorst / 1e6,
                            "interventions", shield.interventions()));
                    windowStart = cycle + 1;
                    windowLate = 0;
                    windowWorst = 0;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            worker.close();
            LatencyHistogram inference = worker.latency();
            LoopReport.Percentiles inferenceTime;
            synchronized (inference) {
                inferenceTime = LoopReport.Percentiles.of(inference);
            }
            Map<String, Long> interventions = new LinkedHashMap<>();
            for (Map.Entry<Reason, Long> e : shield.counts().entrySet()) {
                interventions.put(e.getKey().wireName(), e.getValue());
            }
            Throwable failure = worker.failure();
            return new LoopReport(machine.name(), config.hz(), config.cycles(), skipped, overruns, seconds,
                    LoopReport.Percentiles.of(lateness), LoopReport.Percentiles.of(cycleTime), inferenceTime.count(), inferenceTime,
                    worker.failures(), failure == null ? "" : failure.toString(), queue.chunksAdded(), queue.expiredActions(), noCommand,
                    warnings, interventions, shield.inactiveRules(), new TreeMap<>(machine.metrics()));
        } finally {
            machine.stop();
        }
    }

    private static void checkCompatible(Machine machine, Policy policy, SafetyShield shield) {
        PolicyMetadata m = policy.metadata();
        int obs = machine.observationFeatures().stream().mapToInt(f -> f.size()).sum();
        int act = machine.actionFeatures().stream().mapToInt(f -> f.size()).sum();
        if (m.observationDim() != obs || m.actionDim() != act) {
            throw new KibanException("the policy reads " + m.observationDim() + " observation and writes " + m.actionDim()
                    + " action elements, but machine " + machine.name() + " has " + obs + " and " + act
                    + "; was it trained on this env?");
        }
        if (shield.actionDim() != act) {
            throw new IllegalArgumentException("the shield has " + shield.actionDim() + " action elements, the machine " + act);
        }
    }
}
