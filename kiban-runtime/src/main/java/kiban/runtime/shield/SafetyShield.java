package kiban.runtime.shield;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.embodiment.SafetyEnvelope;
import kiban.core.embodiment.Zone;

/**
 * The gate every command passes on its way to a machine. Each cycle {@link #filter} turns the
 * proposed command (or none, when the policy has nothing fresh) into the command to send, by
 * applying its rules in one fixed order, stated once in the constructor:
 * <ol>
 *   <li>{@link EmergencyStopRule}: an e-stop input latches a stop until {@link #resetEmergencyStop}
 *       (with the input released);</li>
 *   <li>{@link CommandRule}: a missing command holds the last one; after the envelope's watchdog
 *       cycles without a fresh one, or at once for a non-finite command, the fallback policy takes
 *       over if there is one, else the machine is brought to a controlled stop;</li>
 *   <li>{@link ObservedZoneRule}: a state zone breached as observed (a keep-out temperature) stops
 *       the machine;</li>
 *   <li>{@link ActionZoneRule}: action zones project the command into the workspace or out of a
 *       keep-out box;</li>
 *   <li>{@link VehicleGuard}: a vehicle ahead closer than the minimum separation or time-to-collision
 *       brings full braking;</li>
 *   <li>{@link StopTargetRule}: a stop aims at the embodiment's stop-mode target;</li>
 *   <li>{@link MotionLimitRule}: the {@link MotionLimiter} keeps each element within its range,
 *       rate, acceleration and jerk;</li>
 *   <li>{@link ZoneHoldRule}: a command whose predicted result ({@link ForwardModel}) breaches a
 *       zone, or whose limited path would enter an action keep-out box, is replaced by an exact hold
 *       of the last command (also while stopping).</li>
 * </ol>
 * The first five choose what to aim at; once one of them makes the cycle a stop, the rest of those
 * five are skipped. The last three shape every command sent, stops included.
 * A workspace box on an action feature also tightens that feature's position limits, so braking
 * respects it. "Hold" means the last command sent; before any was sent there is nothing to hold,
 * and nothing is sent. {@link #seed} starts the limits from the machine's set point, so the first
 * command is rate-limited like any other.
 * Not thread-safe: call it from the control loop only.
 */
public final class SafetyShield {

    private final int dim;
    private final int observationDim;
    private final MotionLimiter limiter;
    private final EmergencyStopRule emergencyStop;
    private final CommandRule command;
    /** Rules that choose what to aim at, in order; skipped once the cycle is a stop. */
    private final List<ShieldRule> aimRules;
    /** Rules that shape the command sent, in order; applied to stops too. */
    private final List<ShieldRule> sendRules;
    private final List<InterventionListener> listeners;
    private final List<String> inactiveRules;
    private final long[] counts = new long[Reason.values().length];
    private final ShieldCycle c;
    private boolean stopping;
    private long lastBits;
    /** Reasons the loop noted for {@link #notedCycle} before the shield saw its command: counted already. */
    private long notedBits;
    private long notedCycle = -1;

    private SafetyShield(Builder b) {
        dim = b.action.stream().mapToInt(FeatureSpec::size).sum();
        observationDim = b.observation.stream().mapToInt(FeatureSpec::size).sum();
        double[] low = perElement(b.action, FeatureSpec::low);
        double[] high = perElement(b.action, FeatureSpec::high);
        listeners = List.copyOf(b.listeners);
        List<String> inactive = new ArrayList<>();
        List<ZoneRule> observedZones = new ArrayList<>();
        List<ZoneRule> actionZones = new ArrayList<>();
        List<ZoneRule> predictedZones = new ArrayList<>();
        for (Zone z : b.envelope.workspace()) {
            compile(z, false, b, observedZones, actionZones, predictedZones, inactive);
        }
        for (Zone z : b.envelope.keepOut()) {
            compile(z, true, b, observedZones, actionZones, predictedZones, inactive);
        }
        tightenToWorkspaces(actionZones, low, high);
        double[] zero = new double[dim];
        for (int i = 0; i < dim; i++) {
            zero[i] = MotionLimiter.clamp(0, low[i], high[i]);
        }
        double[] rate = perElement(b.action, f -> f.rateLimited() ? f.maxRate() : null);
        double[] acc = perElement(b.action, f -> b.envelope.maxAcceleration().get(f.name()));
        double[] jerk = perElement(b.action, f -> b.envelope.maxJerk().get(f.name()));
        limiter = new MotionLimiter(low, high, rate, acc, jerk, b.dt);
        VehicleGuard vehicle = vehicleGuard(b, inactive);
        inactiveRules = List.copyOf(inactive);

        emergencyStop = new EmergencyStopRule();
        command = new CommandRule(dim, b.envelope.watchdogCycles(), b.fallback, limiter);
        // The order of the rules, stated once.
        List<ShieldRule> aim = new ArrayList<>(List.of(
                emergencyStop,
                command,
                new ObservedZoneRule(observedZones),
                new ActionZoneRule(actionZones, low, high)));
        if (vehicle != null) {
            aim.add(vehicle);
        }
        aimRules = List.copyOf(aim);
        sendRules = List.of(
                new StopTargetRule(b.envelope.stopMode(), zero, limiter),
                new MotionLimitRule(limiter),
                new ZoneHoldRule(predictedZones, actionZones, limiter));
        c = new ShieldCycle(dim);
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
        c.start(cycle, proposed, observation, emergencyStopInput);
        for (ShieldRule rule : aimRules) {
            if (c.stop) {
                break;
            }
            rule.apply(c);
        }
        stopping = c.stop;
        for (ShieldRule rule : sendRules) {
            if (c.nothingToSend) {
                break;
            }
            rule.apply(c);
        }
        if (c.nothingToSend) {
            return report(cycle, c.bits, c.details, proposed, null);
        }
        limiter.accept(c.out);
        return report(cycle, c.bits, c.details, proposed, c.out.clone());
    }

    /**
     * Records a cycle in which an operator commands the machine directly: the runtime sends nothing,
     * counts and reports a {@link Reason#TAKEOVER} with the policy's proposal and the operator's
     * command, and continues its limits from the operator's command so that the policy, when given
     * the machine back, starts from where the operator left it instead of jumping.
     */
    public void takeOver(long cycle, double[] proposed, double[] operatorCommand) {
        if (!acceptsOperatorCommand(operatorCommand)) {
            throw new IllegalArgumentException("an operator command needs " + dim + " finite elements");
        }
        command.reset();
        stopping = false;
        limiter.accept(operatorCommand);
        // No rule runs on a take-over: the cycle's record only carries the reason.
        c.start(cycle, proposed, null, false);
        c.flag(Reason.TAKEOVER, "operator");
        report(cycle, c.bits, c.details, proposed, operatorCommand.clone());
    }

    /** Whether {@code command} could be an operator's command for this machine: the right length, finite. */
    public boolean acceptsOperatorCommand(double[] command) {
        return command != null && command.length == dim && finite(command);
    }

    /**
     * Counts and reports, at once, an intervention the loop judged for {@code cycle} (a stale
     * reading, a failed command, a failed recording); its bit also shows in {@link #lastReasons()}
     * after this cycle's {@link #filter} or {@link #takeOver}.
     */
    public void note(long cycle, Reason reason, String detail) {
        if (cycle != notedCycle) {
            notedCycle = cycle;
            notedBits = 0;
        }
        notedBits |= reason.bit();
        counts[reason.ordinal()]++;
        tell(new Intervention(cycle, reason, detail, null, null));
    }

    private double[] report(long cycle, long bits, String[] details, double[] proposed, double[] sent) {
        long noted = cycle == notedCycle ? notedBits : 0;
        lastBits = bits | noted;
        long fresh = bits & ~noted;
        if (fresh != 0) {
            for (Reason r : Reason.values()) {
                if ((fresh & r.bit()) != 0) {
                    counts[r.ordinal()]++;
                    if (!listeners.isEmpty()) {
                        tell(new Intervention(cycle, r, details[r.ordinal()], proposed, sent));
                    }
                }
            }
        }
        return sent;
    }

    private void tell(Intervention i) {
        for (InterventionListener l : listeners) {
            l.onIntervention(i);
        }
    }

    /** Clears a latched e-stop; refused (false) while the e-stop input is still pressed. */
    public boolean resetEmergencyStop() {
        return emergencyStop.reset();
    }

    public boolean emergencyStopLatched() {
        return emergencyStop.latched();
    }

    /** True when the last cycle's command was a stop (e-stop, watchdog, non-finite or an observed zone). */
    public boolean stopping() {
        return stopping;
    }

    /** The reasons of the last cycle's interventions as {@link Reason#bit()}s. */
    public long lastReasons() {
        return lastBits;
    }

    /**
     * Starts the limits from the machine's set point (at rest there), so the first command is at
     * most one step of each limit away from where the machine is. Refused (false) for a set point of
     * the wrong length or with a non-finite element.
     */
    public boolean seed(double[] setpoint) {
        if (!acceptsOperatorCommand(setpoint)) {
            return false;
        }
        limiter.seed(setpoint);
        return true;
    }

    /** Forgets the command history (a new episode on a machine that was reset). */
    public void resetHistory() {
        limiter.reset();
        command.reset();
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

    /** Sorts a zone by what its feature is: commanded, predicted from the command, or only observed. */
    private static void compile(Zone z, boolean keepOut, Builder b, List<ZoneRule> observed, List<ZoneRule> action,
            List<ZoneRule> predicted, List<String> inactive) {
        int actionOffset = offsetOf(b.action, z.feature());
        if (actionOffset >= 0) {
            action.add(new ZoneRule(z, keepOut, ZoneRule.Kind.ACTION, actionOffset, null));
            return;
        }
        ForwardModel model = b.models.stream().filter(m -> m.feature().equals(z.feature())).findFirst().orElse(null);
        if (model != null) {
            predicted.add(new ZoneRule(z, keepOut, ZoneRule.Kind.PREDICTED, 0, model));
            return;
        }
        int stateOffset = offsetOf(b.observation, z.feature());
        if (stateOffset >= 0) {
            observed.add(new ZoneRule(z, keepOut, ZoneRule.Kind.OBSERVED, stateOffset, null));
        } else {
            inactive.add((keepOut ? "keep-out zone '" : "workspace '") + z.name() + "': the machine neither observes nor is "
                    + "commanded by feature '" + z.feature() + "'");
        }
    }

    /** A workspace box on an action feature is a tighter position limit: braking then respects it too. */
    private static void tightenToWorkspaces(List<ZoneRule> actionZones, double[] low, double[] high) {
        for (ZoneRule z : actionZones) {
            if (!z.keepOut) {
                for (int i = 0; i < z.zone.min().size(); i++) {
                    low[z.offset + i] = Math.max(low[z.offset + i], z.zone.min().get(i));
                    high[z.offset + i] = Math.min(high[z.offset + i], z.zone.max().get(i));
                }
            }
        }
    }

    private static VehicleGuard vehicleGuard(Builder b, List<String> inactive) {
        if (Double.isNaN(b.envelope.minTimeToCollision()) && Double.isNaN(b.envelope.minSeparation())) {
            return null;
        }
        String[] why = new String[1];
        VehicleGuard guard = VehicleGuard.create(b.action, b.observation, b.envelope.minTimeToCollision(),
                b.envelope.minSeparation(), why);
        if (guard == null) {
            inactive.add("minimum time-to-collision and separation: " + why[0]);
        }
        return guard;
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

    static boolean finite(double[] v) {
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
