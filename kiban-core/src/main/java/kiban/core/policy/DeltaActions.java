package kiban.core.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kiban.core.embodiment.FeatureSpec;

/**
 * Turns a policy's row into a command where the metadata names delta actions: each listed action
 * feature's elements get the listed observation feature's measured values added. The observation
 * must be the one measured at the step the row is executed, not the one the chunk was predicted
 * from; only then is every row a one-step correction of where the machine actually is.
 */
public final class DeltaActions {

    /** No delta actions: {@link #addTo} leaves rows unchanged. */
    public static final DeltaActions NONE = new DeltaActions(new int[0], new int[0]);

    /** Per element: its index in the action row and in the observation vector. */
    private final int[] actionIndex;
    private final int[] observationIndex;

    private DeltaActions(int[] actionIndex, int[] observationIndex) {
        this.actionIndex = actionIndex;
        this.observationIndex = observationIndex;
    }

    /** The conversion {@code m} asks for. */
    public static DeltaActions of(PolicyMetadata m) {
        if (m.deltaActions().isEmpty()) {
            return NONE;
        }
        int n = 0;
        for (DeltaPair p : m.deltaActions()) {
            n += find(m.action(), p.action()).size();
        }
        int[] a = new int[n];
        int[] o = new int[n];
        int i = 0;
        for (DeltaPair p : m.deltaActions()) {
            int aOff = offset(m.action(), p.action());
            int oOff = offset(m.observation(), p.observation());
            for (int k = 0; k < find(m.action(), p.action()).size(); k++, i++) {
                a[i] = aOff + k;
                o[i] = oOff + k;
            }
        }
        return new DeltaActions(a, o);
    }

    /** The command for {@code row} given the {@code observation} measured at its execution. */
    public static double[] toCommand(double[] row, double[] observation, PolicyMetadata m) {
        double[] out = row.clone();
        of(m).addTo(out, observation);
        return out;
    }

    public boolean isEmpty() {
        return actionIndex.length == 0;
    }

    /** Adds the observed values to {@code row} in place (no allocation, for the control loop). */
    public void addTo(double[] row, double[] observation) {
        for (int i = 0; i < actionIndex.length; i++) {
            row[actionIndex[i]] += observation[observationIndex[i]];
        }
    }

    /** Subtracts the observed values from {@code row} in place: a recorded command becomes a training target. */
    public void subtractFrom(double[] row, double[] observation) {
        for (int i = 0; i < actionIndex.length; i++) {
            row[actionIndex[i]] -= observation[observationIndex[i]];
        }
    }

    /** Refuses pairs naming unknown features, features of different sizes or one action feature twice. */
    static void check(List<FeatureSpec> observation, List<FeatureSpec> action, List<DeltaPair> pairs) {
        Set<String> seen = new HashSet<>();
        for (DeltaPair p : pairs) {
            FeatureSpec a = find(action, p.action());
            FeatureSpec o = find(observation, p.observation());
            if (a == null || o == null) {
                throw new IllegalArgumentException("delta action " + p.action() + " <- " + p.observation()
                        + ": " + (a == null ? "no action feature " + p.action() : "no observation feature " + p.observation()));
            }
            if (a.size() != o.size()) {
                throw new IllegalArgumentException("delta action " + p.action() + " has " + a.size()
                        + " elements but observation " + p.observation() + " has " + o.size());
            }
            if (!seen.add(p.action())) {
                throw new IllegalArgumentException("delta action " + p.action() + " is listed twice");
            }
        }
    }

    private static FeatureSpec find(List<FeatureSpec> features, String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    private static int offset(List<FeatureSpec> features, String name) {
        int off = 0;
        for (FeatureSpec f : features) {
            if (f.name().equals(name)) {
                return off;
            }
            off += f.size();
        }
        throw new IllegalArgumentException("no feature " + name);
    }
}
