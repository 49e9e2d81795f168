package kiban.runtime.loop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;
import kiban.core.machine.Telemetry;
import kiban.core.policy.Policy;
import kiban.runtime.loop.ReadingJudge.Verdict;
import kiban.runtime.shield.Reason;
import kiban.runtime.shield.SafetyShield;

/**
 * One run of the {@link ControlLoop}, on the loop thread. Each cycle goes through the same phases in
 * order, each a method below: wait for the deadline, follow an episode reset, read the machine,
 * judge the reading, infer, shield, command, record.
 */
final class LoopRun {

    private final Machine machine;
    private final SafetyShield shield;
    private final LoopConfig config;
    private final PrintStream warn;
    private final Supplier<String> stopRequest;
    /** Made once: the wait polls it, and a cycle allocates nothing it need not. */
    private final BooleanSupplier stopRequested;
    private final Schedule schedule;
    private final ReadingJudge judge;
    private final ActionSource actions;
    private final ListenerGroup listeners;
    private final Episodic episodic;
    /** Rules the loop cannot enforce on this machine, beside the shield's. */
    private final List<String> inactiveRules = new ArrayList<>();
    private long episode;
    private boolean estopSeen;
    private boolean stopSent;
    /** No command sent yet this episode: the shield's limits start from the newest set point read. */
    private boolean seedPending = true;
    private long noCommand;
    private long cyclesRun;
    private String stopReason = "";

    LoopRun(Machine machine, Policy policy, SafetyShield shield, LoopConfig config, List<CycleListener> listeners,
            Telemetry telemetry, PrintStream warn, Supplier<String> stopRequest) {
        this.machine = machine;
        this.shield = shield;
        this.config = config;
        this.warn = warn;
        this.stopRequest = stopRequest;
        this.stopRequested = () -> stopRequest.get() != null;
        this.schedule = new Schedule(config, warn, telemetry, shield::interventions);
        this.judge = new ReadingJudge(config.staleAfterNanos(), config.maxFailedCommands());
        this.actions = new ActionSource(policy, config);
        this.listeners = new ListenerGroup(listeners);
        this.episodic = machine instanceof Episodic e ? e : null;
        this.episode = episodic == null ? 0 : episodic.episode();
    }

    /** Runs the configured cycles, or fewer when stopped, and returns what it measured. */
    LoopReport run() {
        double seconds;
        try {
            start();
            for (long cycle = 0; cycle < config.cycles() && stopReason.isEmpty(); cycle++) {
                cycle(cycle);
            }
            seconds = schedule.seconds();
        } finally {
            actions.close();
        }
        return report(seconds);
    }

    /** Reads the machine once to warm the policy up (untimed), then starts the clock. */
    private void start() {
        MachineReading first = machine.read();
        if (first.setpoint() == null) {
            String rule = "rate limits of the first command: " + machine.name() + " reports no set point, so the first command "
                    + "of the run (and after each reset) is only position-clipped";
            inactiveRules.add(rule);
            warn.println("kiban run: warning: not enforced: " + rule);
            warn.flush();
        }
        actions.warmUp(first.state());
        schedule.start();
    }

    private void cycle(long cycle) {
        long deadline = schedule.await(cycle, stopRequested);
        String why = stopRequest.get();
        if (why != null) {
            stop(why);
            return;
        }
        cyclesRun = cycle + 1;
        followEpisode();
        MachineReading reading = machine.read();
        Verdict verdict = judge(cycle, reading);
        if (!stopReason.isEmpty()) {
            return;
        }
        double[] observation = reading.state();
        double[] proposed = actions.next(cycle, deadline, observation, verdict == Verdict.FRESH);
        if (proposed == null) {
            noCommand++;
        }
        double[] sent = shieldAndCommand(cycle, reading, observation, proposed);
        record(cycle, observation, proposed, sent);
        schedule.end(cycle);
    }

    /** A machine that started a new episode (a simulator reset) starts afresh: policy, chunks, shield history, recording. */
    private void followEpisode() {
        if (episodic == null || episodic.episode() == episode) {
            return;
        }
        episode = episodic.episode();
        actions.newEpisode();
        shield.resetHistory();
        seedPending = true;
        listeners.onEpisodeEnd();
    }

    /**
     * Judges the reading: an e-stop's rising edge stops the machine at once; a lost or stale reading
     * is no basis for a command; failed commands are reported, and too many in a row end the run.
     * Until the episode's first command is sent, each reading seeds the shield with the machine's set
     * point.
     */
    private Verdict judge(long cycle, MachineReading reading) {
        if (reading.emergencyStop() && !estopSeen) {
            machine.stop();
        }
        estopSeen = reading.emergencyStop();
        Verdict verdict = judge.judge(reading, System.nanoTime());
        if (verdict == Verdict.STALE) {
            shield.note(cycle, Reason.STALE, judge.staleDetail());
        }
        if (judge.newFailures(reading)) {
            shield.note(cycle, Reason.COMMAND_FAILED, judge.failureDetail());
            if (judge.tooManyFailures()) {
                stop("commands failed " + judge.failureDetail() + " (the limit is " + config.maxFailedCommands()
                        + ", --max-failed-commands)");
            }
        }
        double[] setpoint = seedPending ? reading.setpoint() : null;
        if (setpoint != null) {
            // A stale or lost reading's set point too: it is the best known, and a stop sent before
            // any fresh reading must ramp from it, not jump from wherever the position clip puts it.
            shield.seed(setpoint);
        }
        return verdict;
    }

    /**
     * Passes the proposal through the shield and commands the result; a cycle with nothing safe to
     * send stops the machine (once). While an operator has the machine, nothing is sent.
     */
    private double[] shieldAndCommand(long cycle, MachineReading reading, double[] observation, double[] proposed) {
        double[] operator = reading.operatorCommand();
        if (operator != null && !reading.emergencyStop() && shield.acceptsOperatorCommand(operator)) {
            // The operator has the machine: send nothing, record what they commanded (the data a
            // fine-tune learns the correction from), and hand back without a jump.
            shield.takeOver(cycle, proposed, operator);
            seedPending = false;
            return operator;
        }
        double[] sent = shield.filter(cycle, proposed, observation, reading.emergencyStop());
        if (sent != null) {
            command(sent);
            stopSent = false;
            seedPending = false;
        } else if (!stopSent) {
            machine.stop();
            stopSent = true;
        }
        return sent;
    }

    private void command(double[] sent) {
        try {
            machine.command(sent);
            judge.commandReturned();
        } catch (RuntimeException e) {
            // counted, and judged with the next reading: too many in a row end the run
            judge.commandThrew(e);
        }
    }

    /** Tells the listeners (the recorder); a failed one is reported, and ends the run if so configured. */
    private void record(long cycle, double[] observation, double[] proposed, double[] sent) {
        for (String failure : listeners.onCycle(cycle, observation, proposed, sent, shield.lastReasons())) {
            shield.note(cycle, Reason.RECORDING_FAILED, failure);
            if (config.onRecordFailure() == LoopConfig.OnFailure.STOP) {
                stop(failure + " (--on-record-failure stop)");
            } else {
                warn.println("kiban run: warning: at cycle " + cycle + ": " + failure
                        + "; driving on without recording (--on-record-failure stop ends the run instead)");
                warn.flush();
            }
        }
    }

    private void stop(String why) {
        if (stopReason.isEmpty()) {
            stopReason = why;
        }
    }

    private LoopReport report(double seconds) {
        InferenceWorker worker = actions.worker();
        LatencyHistogram inference = worker.latency();
        LoopReport.Percentiles inferenceTime;
        synchronized (inference) {
            inferenceTime = LoopReport.Percentiles.of(inference);
        }
        Map<String, Long> interventions = new LinkedHashMap<>();
        for (Map.Entry<Reason, Long> e : shield.counts().entrySet()) {
            interventions.put(e.getKey().wireName(), e.getValue());
        }
        List<String> inactive = new ArrayList<>(shield.inactiveRules());
        inactive.addAll(inactiveRules);
        Throwable failure = worker.failure();
        return new LoopReport(machine.name(), config.hz(), cyclesRun, schedule.skipped, schedule.overruns, seconds,
                LoopReport.Percentiles.of(schedule.lateness), LoopReport.Percentiles.of(schedule.cycleTime), inferenceTime.count(),
                inferenceTime, worker.failures(), failure == null ? "" : failure.toString(), actions.chunks(),
                actions.expiredActions(), config.blend(), actions.switches(), actions.lateSwitches(), noCommand, schedule.warnings, interventions, inactive, new TreeMap<>(machine.metrics()),
                stopReason);
    }
}
