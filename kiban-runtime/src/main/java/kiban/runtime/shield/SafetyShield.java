package kiban.runtime.shield;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.embodiment.SafetyEnvelope;
import kiban.core.embodiment.StopMode;
import kiban.core.embodiment.Zone;

/**
 * The gate every command passes on its way to a machine. Each cycle {@link #filter} turns the
 * proposed command (or none, when the policy has nothing fresh) into the command to send:
 * <ol>
 *   <li>an e-stop input latches a stop until {@link #resetEmergencyStop} (with the input released);</li>
 *   <li>a missing command holds the last one; after the envelope's watchdog cycles without a fresh
 *       one, or at once for a non-finite command, the fallback policy takes over if there is one,
 *       else the machine is brought to a controlled stop;</li>
 *   <li>a state zone breached as observed (a keep-out temperature) stops the machine;</li>
 *   <li>action zones project the command into the workspace or out of a keep-out box; a vehicle
 *       ahead closer than the minimum separation or time-to-collision brings full braking;</li>
 *   <li>the {@link MotionLimiter} keeps each element within its range, rate, acceleration and jerk;</li>
 *   <li>a command whose predicted result ({@link ForwardModel}) breaches a zone, or whose limited
 *       path would enter an action keep-out box, is replaced by an exact hold of the last command
 *       (zones take precedence over the acceleration limit; also while stopping).</li>
 * </ol>
 * A workspace box on an action feature also tightens that feature's position limits, so braking
 * respects it.
 * A stop aims at the embodiment's {@link StopMode} target (hold the last command, or zero) and
 * reaches it through the same rate and acceleration limits, so a stop is itself inside the envelope.
 * Not thread-safe: call it from the control loop only.
 */
public final class SafetyShield {

    private final int dim;
    private final int observationDim;
    private final double[] low;
    private final double[] high;
    private final double[] zero;
    private final MotionLimiter limiter;
    private final StopMode stopMode;
    private final int watchdogCycles;
    private final List<ZoneRule> observedZones = new ArrayList<>();
    private final List<ZoneRule> actionZones = new ArrayList<>();
    private final List<ZoneRule> predictedZones = new ArrayList<>();
    private final VehicleGuard vehicle;
    private final FallbackPolicy fallback;
    private final List<InterventionListener> listeners;
    private final List<String> inactiveRules;
    private final long[] counts = new long[Reason.values().length];
    private final double[] target;
    private final double[] zoneBefore;
    private final double[] out;
    private boolean estopLatched;
    private boolean estopInput;
    private boolean stopping;
    private int stale;
    private long lastBits;

    private SafetyShield(Builder b) {
        dim = b.action.stream().mapToInt(FeatureSpec::size).sum();
        observationDim = b.observation.stream().mapToInt(FeatureSpec::size).sum();
        low = perElement(b.action, FeatureSpec::low);
        high = perElement(b.action, FeatureSpec::high);
        fallback = b.fallback;
        listeners = List.copyOf(b.listeners);
        List<String> inactive = new ArrayList<>();
        for (Zone z : b.envelope.workspace()) {
            compile(z, false, b, inactive);
        }
        for (Zone z : b.envelope.keepOut()) {
            compile(z, true, b, inactive);
        }
        // a workspace box on an action feature is a tighter position limit: braking then respects it too
        for (ZoneRule z : actionZones) {
            if (!z.keepOut) {
                for (int i = 0; i < z.zone.min().size(); i++) {
                    low[z.offset + i] = Math.max(low[z.offset + i], z.zone.min().get(i));
                    high[z.offset + i] = Math.min(high[z.offset + i], z.zone.max().get(i));
                }
            }
        }
        zero = new double[dim];
        for (int i = 0; i < dim; i++) {
            zero[i] = MotionLimiter.clamp(0, low[i], high[i]);
        }
        double[] rate = perElement(b.action, f -> f.rateLimited() ? f.maxRate() : null);
        double[] acc = perElement(b.action, f -> b.envelope.maxAcceleration().get(f.name()));
        double[] jerk = perElement(b.action, f -> b.envelope.maxJerk().get(f.name()));
        limiter = new MotionLimiter(low, high, rate, acc, jerk, b.dt);
        stopMode = b.envelope.stopMode();
        watchdogCycles = b.envelope.watchdogCycles();
        String[] why = new String[1];
        boolean vehicleRules = !Double.isNaN(b.envelope.minTimeToCollision()) || !Double.isNaN(b.envelope.minSeparation());
        vehicle = vehicleRules ? VehicleGuard.create(b.action, b.observation, b.envelope.minTimeToCollision(),
                b.envelope.minSeparation(), why) : null;
        if (vehicleRules && vehicle == null) {
            inactive.add("minimum time-to-collision and separation: " + why[0]);
        }
        inactiveRules = List.copyOf(inactive);
        target = new double[dim];
        zoneBefore = new double[dim];
        out = new double[dim];
    }

    public static Builder builder(List<FeatureSpec> action, List<FeatureSpec> observation, SafetyEnvelope envelope) {
        return new Builder(action, observation, envelope);
    }

    /**
     * The command to send this cycle, or null when there is none to send (a hold before any
     * command was sent). {@code proposed} is null when the policy has no fresh command.
     */
    public double[] filter(long cycle, double[] proposed, double[] observation, boolean emergencyStopInput) {
        if (observation.length != observationDim) {
            throw new IllegalArgumentException("observation has " + observation.length + " elements, the shield expects " + observationDim);
        }
        long bits = 0;
        String detail = "";
        estopInput = emergencyStopInput;
        estopLatched |= emergencyStopInput;
        boolean stop = false;
        double[] source = null;
        if (estopLatched) {
            stop = true;
            bits |= Reason.ESTOP.bit();
        } else if (proposed == null) {
            stale++;
            if (stale >= watchdogCycles) {
                source = fallback(observation);
                if (source != null) {
                    bits |= Reason.FALLBACK.bit();
                    detail = Reason.WATCHDOG.wireName();
                } else {
                    stop = true;
                    bits |= Reason.WATCHDOG.bit();
                }
            } else if (limiter.history() > 0) {
                source = limiter.last();
            } else {
                stop = true;
            }
        } else if (proposed.length != dim || !finite(proposed)) {
            stale++;
            source = fallback(observation);
            if (source != null) {
                bits |= Reason.FALLBACK.bit();
                detail = Reason.NON_FINITE.wireName();
            } else {
                stop = true;
                bits |= Reason.NON_FINITE.bit();
                detail = proposed.length != dim ? proposed.length + " elements, expected " + dim : "";
            }
        } else {
            stale = 0;
            source = proposed;
        }
        if (!stop) {
            System.arraycopy(source, 0, target, 0, dim);
            for (ZoneRule z : observedZones) {
                if (z.breached(observation, null)) {
                    stop = true;
                    bits |= z.reason().bit();
                    detail = z.zone.name();
                    break;
                }
            }
        }
        if (!stop) {
            for (ZoneRule z : actionZones) {
                System.arraycopy(target, 0, zoneBefore, 0, dim);
                boolean projected = z.project(target, low, high);
                if (!projected || !Arrays.equals(zoneBefore, target)) {
                    bits |= z.reason().bit();
                    detail = z.zone.name();
                }
                if (!projected) {
                    stop = true;
                    break;
                }
            }
        }
        if (!stop && vehicle != null) {
            Reason r = vehicle.check(observation, target);
            if (r != null) {
                bits |= r.bit();
                detail = vehicle.detail();
            }
        }
        stopping = stop;
        if (stop) {
            if (stopMode == StopMode.ZERO) {
                System.arraycopy(zero, 0, target, 0, dim);
            } else if (limiter.history() > 0) {
                System.arraycopy(limiter.last(), 0, target, 0, dim);
            } else {
                return report(cycle, bits, detail, proposed, null);
            }
        }
        long limits = limiter.limit(target, out);
        // Zone holds are exact (no motion at all) and take precedence over the acceleration limit:
        // entering a keep-out zone or leaving the reach is worse than a hard stop of the command.
        ZoneRule hold = null;
        for (ZoneRule z : predictedZones) {
            if (z.breached(observation, out)) {
                hold = z;
                break;
            }
        }
        for (int k = 0; hold == null && k < actionZones.size(); k++) {
            ZoneRule z = actionZones.get(k);
            if (z.keepOut && z.breached(out, null)) {
                hold = z;
            }
        }
        if (hold != null) {
            bits |= hold.reason().bit();
            detail = hold.zone.name();
            if (limiter.history() == 0) {
                return report(cycle, bits, detail, proposed, null);
            }
            System.arraycopy(limiter.last(), 0, out, 0, dim);
            limits = 0;
        }
        if (!stop) {
            bits |= limits;
        }
        limiter.accept(out);
        return report(cycle, bits, detail, proposed, out.clone());
    }

    /**
     * Records a cycle in which an operator commands the machine directly: the runtime sends nothing,
     * counts and reports a {@link Reason#TAKEOVER} with the policy's proposal and the operator's
     * command, and continues its limits from the operator's command so that the policy, when given
     * the machine back, starts from where the operator left it instead of jumping.
     */
    public void takeOver(long cycle, double[] proposed, double[] operatorCommand) {
        if (operatorCommand.length != dim || !finite(operatorCommand)) {
            throw new IllegalArgumentException("an operator command needs " + dim + " finite elements");
        }
        stale = 0;
        stopping = false;
        limiter.accept(operatorCommand);
        report(cycle, Reason.TAKEOVER.bit(), "operator", proposed, operatorCommand.clone());
    }

    /** Whether {@code command} could be an operator's command for this machine: the right length, finite. */
    public boolean acceptsOperatorCommand(double[] command) {
        return command != null && command.length == dim && finite(command);
    }

    private double[] report(long cycle, long bits, String detail, double[] proposed, double[] sent) {
        lastBits = bits;
        if (bits != 0) {
            for (Reason r : Reason.values()) {
                if ((bits & r.bit()) != 0) {
                    counts[r.ordinal()]++;
                    if (!listeners.isEmpty()) {
                        Intervention i = new Intervention(cycle, r, detail, proposed, sent);
                        for (InterventionListener l : listeners) {
                            l.onIntervention(i);
                        }
                    }
                }
            }
        }
        return sent;
    }

    private double[] fallback(double[] observation) {
        if (fallback == null) {
            return null;
        }
        double[] a = fallback.act(observation);
        return a != null && a.length == dim && finite(a) ? a : null;
    }

    /** Clears a latched e-stop; refused (false) while the e-stop input is still pressed. */
    public boolean resetEmergencyStop() {
        if (estopInput) {
            return false;
        }
        estopLatched = false;
        return true;
    }

    public boolean emergencyStopLatched() {
        return estopLatched;
    }

    /** True when the last cycle's command was a stop (e-stop, watchdog, non-finite or an observed zone). */
    public boolean stopping() {
        return stopping;
    }

    /** The reasons of the last cycle's interventions as {@link Reason#bit()}s. */
    public long lastReasons() {
        return lastBits;
    }

    /** Starts the limits from the machine's current setpoint, so the first command is rate-limited too. */
    public void seed(double[] command) {
        if (command.length != dim) {
            throw new IllegalArgumentException("seed has " + command.length + " elements, expected " + dim);
        }
        limiter.seed(command);
    }

    /** Forgets the command history (a new episode on a machine that was reset). */
    public void resetHistory() {
        limiter.reset();
        stale = 0;
    }

    /** Interventions so far by reason, in {@link Reason} order, reasons never seen left out. */
    public Map<Reason, Long> counts() {
        Map<Reason, Long> m = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            if (counts[r.ordinal()] > 0) {
                m.put(r, counts[r.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    public long interventions() {
        return Arrays.stream(counts).sum();
    }

    /** Envelope rules this machine cannot enforce, each with why (printed as a warning by the runtime). */
    public List<String> inactiveRules() {
        return inactiveRules;
    }

    public int actionDim() {
        return dim;
    }

    private void compile(Zone z, boolean keepOut, Builder b, List<String> inactive) {
        int actionOffset = offsetOf(b.action, z.feature());
        if (actionOffset >= 0) {
            actionZones.add(new ZoneRule(z, keepOut, ZoneRule.Kind.ACTION, actionOffset, null));
            return;
        }
        ForwardModel model = b.models.stream().filter(m -> m.feature().equals(z.feature())).findFirst().orElse(null);
        if (model != null) {
            predictedZones.add(new ZoneRule(z, keepOut, ZoneRule.Kind.PREDICTED, 0, model));
            return;
        }
        int stateOffset = offsetOf(b.observation, z.feature());
        if (stateOffset >= 0) {
            observedZones.add(new ZoneRule(z, keepOut, ZoneRule.Kind.OBSERVED, stateOffset, null));
        } else {
            inactive.add((keepOut ? "keep-out zone '" : "workspace '") + z.name() + "': the machine neither observes nor is "
                    + "commanded by feature '" + z.feature() + "'");
        }
    }

    private static int offsetOf(List<FeatureSpec> features, String name) {
        int o = 0;
        for (FeatureSpec f : features) {
            if (f.name().equals(name)) {
                return o;
            }
            o += f.size();
        }
        return -1;
    }

    private static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** Per element of the concatenated features; +infinity where {@code values} gives null (no limit). */
    private static double[] perElement(List<FeatureSpec> features, java.util.function.Function<FeatureSpec, List<Double>> values) {
        double[] outv = new double[features.stream().mapToInt(FeatureSpec::size).sum()];
        int i = 0;
        for (FeatureSpec f : features) {
            List<Double> v = values.apply(f);
            for (int k = 0; k < f.size(); k++) {
                outv[i++] = v == null ? Double.POSITIVE_INFINITY : v.size() == 1 ? v.getFirst() : v.get(k);
            }
        }
        return outv;
    }

    /** Builds a shield; {@code dt} (seconds between commands, in machine time) is required. */
    public static final class Builder {
        private final List<FeatureSpec> action;
        private final List<FeatureSpec> observation;
        private final SafetyEnvelope envelope;
        private final List<ForwardModel> models = new ArrayList<>();
        private final List<InterventionListener> listeners = new ArrayList<>();
        private FallbackPolicy fallback;
        private double dt = Double.NaN;

        private Builder(List<FeatureSpec> action, List<FeatureSpec> observation, SafetyEnvelope envelope) {
            this.action = List.copyOf(action);
            this.observation = List.copyOf(observation);
            this.envelope = envelope;
        }

        /** Seconds of machine time between two commands: the rate limits are per second. */
        public Builder setDt(double seconds) {
            this.dt = seconds;
            return this;
        }

        public Builder optForwardModel(ForwardModel model) {
            models.add(model);
            return this;
        }

        public Builder optFallback(FallbackPolicy policy) {
            this.fallback = policy;
            return this;
        }

        public Builder optListener(InterventionListener listener) {
            listeners.add(listener);
            return this;
        }

        public SafetyShield build() {
            if (!(dt > 0) || !Double.isFinite(dt)) {
                throw new IllegalArgumentException("dt must be a positive number of seconds, got " + dt);
            }
            return new SafetyShield(this);
        }
    }
}
