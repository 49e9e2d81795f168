package kiban.policy.estimate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;

/**
 * The state features a camera estimator reads from the picture instead of the state vector (PushT's
 * {@code block_pos} and {@code block_angle}), and how they become its regression targets and back.
 * A periodic angle is regressed as its cosine and sine, so that 0 and 2 pi are one target, and read
 * back with {@code atan2} into the feature's range; any other feature is regressed as it is.
 *
 * <p>An angle whose range spans a whole fraction of a turn, {@code 2 pi / k}, is one the picture
 * shows only up to that symmetry (ur5e's {@code cube_yaw} in [-pi/4, pi/4): a cube looks the same
 * after a quarter turn). Regressed as it is, it jumps at the range's ends between two pictures
 * that are alike, and the regression averages the two; it is regressed as the cosine and sine of
 * {@code k} times the angle instead, which are continuous across the jump.
 *
 * <p>A feature may be regressed relative to a measured one of the same shape and unit ({@code
 * relative_to}: ur5e's {@code cube_pos} from {@code tcp_pos}): a camera in the hand sees the cube's
 * offset from the hand, not where the hand is, which the estimator would otherwise have to work out
 * from the joints. The measured feature is added back to the reading. An angle may be regressed
 * relative to another angle ({@code cube_yaw} from the jaws' {@code jaw_yaw}): the cosine and sine
 * of the difference, read back into the estimated angle's range.
 */
public final class EstimatedFeatures {

    private final List<FeatureSpec> state;
    private final List<FeatureSpec> estimated;
    /** Per estimated feature: where it starts in the state vector. */
    private final int[] offsets;
    /** Per estimated feature: how many times its period goes into a turn (1 for a full-turn angle; 0: not periodic). */
    private final int[] folds;
    /** Per estimated feature: the name of the measured feature it is regressed relative to, or null. */
    private final String[] references;
    /** Per estimated feature: where that measured feature starts in the state vector (-1: none). */
    private final int[] referenceOffsets;
    private final int targetDim;

    /** The features of {@code state} named in {@code names}; {@code source} is the config file, for errors. */
    public EstimatedFeatures(List<FeatureSpec> state, List<String> names, String source) {
        this(state, names, Map.of(), source);
    }

    /**
     * The features of {@code state} named in {@code names}, those keyed in {@code relativeTo} regressed
     * as their difference from the measured feature it names; {@code source} is the config file, for errors.
     */
    public EstimatedFeatures(List<FeatureSpec> state, List<String> names, Map<String, String> relativeTo, String source) {
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
        this.folds = new int[chosen.size()];
        this.references = new String[chosen.size()];
        this.referenceOffsets = new int[chosen.size()];
        int dim = 0;
        for (int i = 0; i < chosen.size(); i++) {
            offsets[i] = offset(state, chosen.get(i).name());
            folds[i] = folds(chosen.get(i));
            references[i] = relativeTo.get(chosen.get(i).name());
            referenceOffsets[i] = references[i] == null || feature(references[i]) == null ? -1 : offset(state, references[i]);
            dim += targetSize(i);
        }
        this.targetDim = dim;
        checkReferences(relativeTo, source);
    }

    /** Each {@code relative_to} pair: an estimated feature from a measured one of its shape and unit. */
    private void checkReferences(Map<String, String> relativeTo, String source) {
        for (Map.Entry<String, String> e : relativeTo.entrySet()) {
            String field = "relative_to." + e.getKey();
            int i = names().indexOf(e.getKey());
            if (i < 0) {
                throw new InvalidInputException(source, "relative_to", "keys that are estimated features " + names(),
                        "\"" + e.getKey() + "\"");
            }
            FeatureSpec f = estimated.get(i);
            FeatureSpec ref = feature(e.getValue());
            if (ref == null || names().contains(ref.name())) {
                throw new InvalidInputException(source, field, "a measured state feature (not estimated), one of "
                        + readFromState(List.of()), "\"" + e.getValue() + "\"");
            }
            // An angle's reference is an angle of any period: the reading is wrapped into the estimated one's range.
            if (!ref.shape().equals(f.shape()) || !ref.unit().equals(f.unit())) {
                throw new InvalidInputException(source, field, "a feature of " + f.name() + "'s shape " + f.shape() + " and unit "
                        + f.unit(), ref.name() + " of shape " + ref.shape() + " and unit " + ref.unit());
            }
        }
    }

    private boolean periodic(int i) {
        return folds[i] > 0;
    }

    /** How many regression targets estimated feature {@code i} takes: a cosine and a sine per element of an angle. */
    private int targetSize(int i) {
        return estimated.get(i).size() * (periodic(i) ? 2 : 1);
    }

    /** The most folds of a turn an angle's range may declare; beyond it a range is taken as a plain limit. */
    private static final int MAX_FOLDS = 8;

    /**
     * {@code k} where every element of {@code f} is an angle (unit rad) whose range spans {@code 2 pi / k}
     * for a whole {@code k} from 1 to {@value #MAX_FOLDS}, else 0 (not periodic).
     */
    static int folds(FeatureSpec f) {
        if (!"rad".equals(f.unit()) || f.size() == 0) {
            return 0;
        }
        int k = 0;
        for (int i = 0; i < f.size(); i++) {
            double turns = 2 * Math.PI / (f.high().get(i) - f.low().get(i));
            long whole = Math.round(turns);
            if (!(Math.abs(turns - whole) < 1e-6) || whole < 1 || whole > MAX_FOLDS || (k != 0 && whole != k)) {
                return 0;
            }
            k = (int) whole;
        }
        return k;
    }

    /** The period of {@code f} in radians where it is a periodic angle ({@link #folds}), else 0. */
    static double period(FeatureSpec f) {
        int k = folds(f);
        return k == 0 ? 0 : 2 * Math.PI / k;
    }

    /** The state feature named {@code name}, or null. */
    private FeatureSpec feature(String name) {
        return state.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
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

    /** Each estimated feature regressed relative to a measured one, and that one's name. */
    public Map<String, String> relativeTo() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < estimated.size(); i++) {
            if (references[i] != null) {
                out.put(estimated.get(i).name(), references[i]);
            }
        }
        return out;
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

    /**
     * Where one estimated feature lies in the state vector ({@code offset}, {@code size} elements) and in
     * the estimate ({@code target}); {@code folds} is 0 for a plain feature, else {@code k} of a periodic
     * angle read back into {@code [low, low + 2 pi / k)} from its cosines then sines of {@code k} times it;
     * {@code reference} is where the measured feature added to the reading starts in the state (-1: none).
     */
    public record Replaced(int offset, int size, int target, int folds, List<Double> low, int reference) {}

    /** The estimated features in state order, for a module that substitutes them itself (the TorchScript export). */
    public List<Replaced> replaced() {
        List<Replaced> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < estimated.size(); i++) {
            FeatureSpec f = estimated.get(i);
            out.add(new Replaced(offsets[i], f.size(), at, folds[i], f.low(), referenceOffsets[i]));
            at += targetSize(i);
        }
        return List.copyOf(out);
    }

    /**
     * The regression targets as features: each estimated feature, a periodic angle as {@code <name>_cos_sin}
     * (of {@code k} times the angle for a {@code k}-fold one), a relative one as {@code <name>_from_<reference>}
     * over the range of the difference.
     */
    public List<FeatureSpec> targets() {
        List<FeatureSpec> out = new ArrayList<>();
        for (int i = 0; i < estimated.size(); i++) {
            FeatureSpec f = estimated.get(i);
            if (periodic(i)) {
                int n = 2 * f.size();
                String from = references[i] == null ? "" : "_from_" + references[i];
                out.add(new FeatureSpec(f.name() + from + "_cos_sin", "1", List.of(n), List.of(), repeat(-1.0, n), repeat(1.0, n),
                        List.of()));
            } else if (references[i] != null) {
                FeatureSpec ref = feature(references[i]);
                List<Double> low = new ArrayList<>();
                List<Double> high = new ArrayList<>();
                for (int k = 0; k < f.size(); k++) {
                    low.add(f.low().get(k) - ref.high().get(k));
                    high.add(f.high().get(k) - ref.low().get(k));
                }
                out.add(new FeatureSpec(f.name() + "_from_" + ref.name(), f.unit(), f.shape(), f.names(), low, high, List.of()));
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
                if (referenceOffsets[i] >= 0) {
                    v -= stateVector[referenceOffsets[i] + k];
                }
                if (periodic(i)) {
                    out[at + k] = Math.cos(folds[i] * v);
                    out[at + n + k] = Math.sin(folds[i] * v);
                } else {
                    out[at + k] = v;
                }
            }
            at += targetSize(i);
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
                double reference = referenceOffsets[i] < 0 ? 0 : stateVector[referenceOffsets[i] + k];
                out[offsets[i] + k] = periodic(i)
                        ? wrap(Math.atan2(target[at + n + k], target[at + k]) / folds[i] + reference, f.low().get(k),
                                2 * Math.PI / folds[i])
                        : target[at + k] + reference;
            }
            at += targetSize(i);
        }
        return out;
    }

    /** {@code angle} moved by whole periods into {@code [low, low + period)}. */
    private static double wrap(double angle, double low, double turn) {
        double a = angle - low;
        a -= turn * Math.floor(a / turn);
        return low + (a >= turn ? 0 : a);
    }
}
