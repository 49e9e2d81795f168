package kiban.runtime.loop;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import kiban.core.error.KibanException;
import kiban.core.machine.Machine;
import kiban.core.machine.Telemetry;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.runtime.shield.SafetyShield;

/**
 * Drives a {@link Machine} at a fixed rate, after one untimed warm-up inference. Each cycle
 * ({@link LoopRun}): wait for the deadline ({@link Schedule}), read the machine, judge the reading
 * ({@link ReadingJudge}: lost, stale, failed commands), hand the observation history to the
 * inference thread when a new chunk is due and take the action for this cycle
 * ({@link ActionSource}), pass it through the {@link SafetyShield}, command the machine, tell the
 * listeners ({@link ListenerGroup}). The policy never runs on this thread, so a slow or hung model
 * shows up as missing commands (which the shield's watchdog turns into a stop), never as a late loop.
 * The loop warns on {@code warn} when more than {@value Schedule#WARN_FRACTION_PERCENT}% of a
 * second's cycles overran or were skipped, at most once every {@value Schedule#WARN_EVERY_SECONDS} s.
 * The run ends early, with the machine stopped and the reason in the report, after too many failed
 * commands, a failed recording (if so configured), or {@link #requestStop}. Real-time chunking
 * ({@link ChunkQueue.Blend#CONTINUE}) is refused here, before the loop starts, for a policy that
 * cannot {@link Policy#continuesChunks() continue chunks}.
 */
public final class ControlLoop {

    private final Machine machine;
    private final Policy policy;
    private final SafetyShield shield;
    private final LoopConfig config;
    private final List<CycleListener> listeners;
    private final Telemetry telemetry;
    private final PrintStream warn;
    private final AtomicReference<String> stopRequest = new AtomicReference<>();
    private volatile Thread thread;

    public ControlLoop(Machine machine, Policy policy, SafetyShield shield, LoopConfig config, List<CycleListener> listeners,
            Telemetry telemetry, PrintStream warn) {
        checkCompatible(machine, policy, shield);
        if (config.blend() == ChunkQueue.Blend.CONTINUE && !policy.continuesChunks()) {
            throw new KibanException("real-time chunking needs a policy that samples its chunks (flow or diffusion): a " + policy.metadata().type()
                    + " policy cannot continue a chunk from frozen rows");
        }
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
                report.set(new LoopRun(machine, policy, shield, config, listeners, telemetry, warn, stopRequest::get).run());
            } catch (Throwable e) {
                error.set(e);
            } finally {
                machine.stop();
            }
        });
        thread = t;
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

    /**
     * Asks the running loop to stop the machine and end the run at its next cycle (from any thread:
     * a Ctrl-C handler); {@code why} becomes the report's stop reason. The first request wins.
     */
    public void requestStop(String why) {
        stopRequest.compareAndSet(null, why);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t); // a slow loop may be parked for most of a period
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
