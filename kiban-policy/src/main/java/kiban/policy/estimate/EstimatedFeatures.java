package kiban.policy.estimate;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.policy.data.FeatureCodec;

/**
 * The state features a camera estimator reads from the picture instead of the state vector (PushT's
 * {@code block_pos} and {@code block_angle}), and how they become its regression targets and back.
 * A periodic angle is regressed as its cosine and sine, so that 0 and 2 pi are one target, and read
 * back with {@code atan2} into the feature's range; any other feature is regressed as it is.
 */
public final class EstimatedFeatures {

    private final List<FeatureSpec> state;
    private final List<FeatureSpec> estimated;
    /** Per estimated feature: where it starts in the state vector. */
    private final int[] offsets;
    private final boolean[] periodic;
    private final int targetDim;

    /** The features of {@code state} named in {@code names}; {@code source} is the config file, for errors. */
    public EstimatedFeatures(List<FeatureSpec> state, List<String> names, String source) {
        this.state = List.copyOf(state);
        List<String> known = state.stream().map(FeatureSpec::name).toList();
        if (names.isEmpty()) {
            throw new InvalidInputException(source, "estimate", "the state features the camera stands in for, some of "
                    + known, "[]");
        }
        List<FeatureSpec> chosen = new ArrayList<>();
        for (FeatureSpec f : state) {
            if (names.contains(f.name())) {
                chosen.add(f);
            }
        }
        for (String n : names) {
            if (!known.contains(n)) {
                throw new InvalidInputException(source, "estimate", "names of state features " + known, "\"" + n + "\"");
            }
        }
        if (chosen.size() == state.size()) {
            throw new InvalidInputException(source, "estimate", "some of the state features " + known
                    + " but not all (the estimator reads the rest beside the camera)", String.valueOf(names));
        }
        this.estimated = List.copyOf(chosen);
        this.offsets = new int[chosen.size()];
        this.periodic = new boolean[chosen.size()];
        int dim = 0;
        for (int i = 0; i < chosen.size(); i++) {
            offsets[i] = offset(state, chosen.get(i).name());
            periodic[i] = FeatureCodec.isPeriodic(chosen.get(i));
            dim += chosen.get(i).size() * (periodic[i] ? 2 : 1);
        }
        this.targetDim = dim;
    }

    private static int offset(List<FeatureSpec> state, String name) {
        int at = 0;
        for (FeatureSpec f : state) {
            if (f.name().equals(name)) {
                return at;
            }
            at += f.size();
        }
        throw new IllegalArgumentException(name);
    }

    /** The names of the estimated features, in state order. */
    public List<String> names() {
        return estimated.stream().map(FeatureSpec::name).toList();
    }

    /**
     * The state features the estimator reads beside the camera: those the state policy reads
     * ({@code statePolicyReads}, empty: all) but the estimated ones, so it never sees a feature the
     * policy was trained without (highway's vehicle list, where the policy reads only lane traffic).
     */
    public List<String> readFromState(List<String> statePolicyReads) {
        return state.stream().map(FeatureSpec::name)
                .filter(n -> statePolicyReads.isEmpty() || statePolicyReads.contains(n))
                .filter(n -> !names().contains(n)).toList();
    }

    /** The regression targets as features: each estimated feature, a periodic angle as {@code <name>_cos_sin}. */
    public List<FeatureSpec> targets() {
        List<FeatureSpec> out = new ArrayList<>();
        for (int i = 0; i < estimated.size(); i++) {
            FeatureSpec f = estimated.get(i);
            if (periodic[i]) {
                int n = 2 * f.size();
                out.add(new FeatureSpec(f.name() + "_cos_sin", "1", List.of(n), List.of(), repeat(-1.0, n), repeat(1.0, n),
                        List.of()));
            } else {
                out.add(new FeatureSpec(f.name(), f.unit(), f.shape(), f.names(), f.low(), f.high(), List.of()));
            }
        }
        return List.copyOf(out);
    }

    private static List<Double> repeat(double v, int n) {
        return java.util.Collections.nCopies(n, v);
    }

    public int targetDim() {
        return targetDim;
    }

    /** The targets of one state vector: its estimated features, angles as cosines then sines. */
    public double[] target(double[] stateVector) {
        double[] out = new double[targetDim];
        int at = 0;
        for (int i = 0; i < estimated.size(); i++) {
            int n = estimated.get(i).size();
            for (int k = 0; k < n; k++) {
                double v = stateVector[offsets[i] + k];
                if (periodic[i]) {
                    out[at + k] = Math.cos(v);
                    out[at + n + k] = Math.sin(v);
                } else {
                    out[at + k] = v;
                }
            }
            at += periodic[i] ? 2 * n : n;
        }
        return out;
    }

    /**
     * {@code stateVector} with its estimated features replaced by those {@code target} gives (an
     * estimator's output): a new vector, the measured features kept.
     */
    public double[] substitute(double[] stateVector, double[] target) {
        if (target.length != targetDim) {
            throw new IllegalArgumentException("an estimate has " + targetDim + " elements, got " + target.length);
        }
        double[] out = stateVector.clone();
        int at = 0;
        for (int i = 0; i < estimated.size(); i++) {
            FeatureSpec f = estimated.get(i);
            int n = f.size();
            for (int k = 0; k < n; k++) {
                out[offsets[i] + k] = periodic[i] ? wrap(Math.atan2(target[at + n + k], target[at + k]), f.low().get(k))
                        : target[at + k];
            }
            at += periodic[i] ? 2 * n : n;
        }
        return out;
    }

    /** {@code angle} moved by whole turns into {@code [low, low + 2 pi)}. */
    private static double wrap(double angle, double low) {
        double turn = 2 * Math.PI;
        double a = angle - low;
        a -= turn * Math.floor(a / turn);
        return low + (a >= turn ? 0 : a);
    }
}
