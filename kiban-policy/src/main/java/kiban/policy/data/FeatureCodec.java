package kiban.policy.data;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.normalize.FeatureNormalizer;
import kiban.core.normalize.Normalizer;

/**
 * Turns observation and action vectors into a network's inputs and back. Each feature is scaled
 * by its normaliser, except periodic angles (unit rad spanning exactly one turn), which become
 * their sine and cosine so that 0 and 2 pi look alike to the network.
 *
 * <p>A 2-D position feature followed by a one-element periodic angle is a planar pose (PushT's
 * block). For each such pose the codec also appends every other 2-D position of the same unit
 * (the agent) expressed in the pose's frame, scaled by the position's range. Where to push
 * depends on exactly that relative geometry, which a ReLU network could only approximate from
 * the raw coordinates and the angle's sine and cosine with products it has no units for; Diffusion
 * Policy's keypoint observation gives its network the same information linearly.
 *
 * <p>A codec may read only some of the state features (a training config's {@code state_features},
 * such as PushT's agent position for Diffusion Policy's image variant): the others are skipped
 * and take no part in relative features.
 */
public final class FeatureCodec {

    private final List<FeatureSpec> observation;
    private final List<FeatureSpec> action;
    private final Normalizer normalizer;
    private final boolean[] periodic;
    /** Per observation feature: whether the network reads it. */
    private final boolean[] used;
    private final int encodedObservationDim;
    /** Per relative feature: raw offsets of the pose's position, its angle and the other position, and the scale. */
    private final double[][] relative;
    // Sizes every call needs, computed once: a server encodes and decodes on every request.
    private final int actionDim;
    private final int largestObservationFeature;
    private final int largestActionFeature;
    private volatile FeatureNormalizer[] actionNormalizers;

    public FeatureCodec(List<FeatureSpec> observation, List<FeatureSpec> action, Normalizer normalizer) {
        this(observation, action, normalizer, List.of());
    }

    /** A codec reading only the state features named in {@code stateFeatures} (empty: all). */
    public FeatureCodec(List<FeatureSpec> observation, List<FeatureSpec> action, Normalizer normalizer,
            List<String> stateFeatures) {
        this.observation = List.copyOf(observation);
        this.action = List.copyOf(action);
        this.normalizer = normalizer;
        this.periodic = new boolean[observation.size()];
        this.used = new boolean[observation.size()];
        List<String> names = observation.stream().map(FeatureSpec::name).toList();
        for (String n : stateFeatures) {
            if (!names.contains(n)) {
                throw new kiban.core.error.InvalidInputException("config", "state_features",
                        "names of state features " + names, "\"" + n + "\"");
            }
        }
        int dim = 0;
        for (int i = 0; i < observation.size(); i++) {
            periodic[i] = isPeriodic(observation.get(i));
            used[i] = stateFeatures.isEmpty() || stateFeatures.contains(observation.get(i).name());
            dim += used[i] ? observation.get(i).size() * (periodic[i] ? 2 : 1) : 0;
        }
        this.relative = relativeFeatures(this.observation, periodic, used);
        this.encodedObservationDim = dim + 2 * relative.length;
        this.actionDim = this.action.stream().mapToInt(FeatureSpec::size).sum();
        this.largestObservationFeature = maxSize(this.observation);
        this.largestActionFeature = maxSize(this.action);
    }

    private static double[][] relativeFeatures(List<FeatureSpec> features, boolean[] periodic, boolean[] used) {
        int[] offset = new int[features.size()];
        for (int i = 1; i < features.size(); i++) {
            offset[i] = offset[i - 1] + features.get(i - 1).size();
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < features.size(); i++) {
            FeatureSpec pos = features.get(i);
            if (pos.size() != 2 || periodic[i] || !periodic[i + 1] || features.get(i + 1).size() != 1 || !used[i]
                    || !used[i + 1]) {
                continue;
            }
            double span = Math.max(pos.high().get(0) - pos.low().get(0), pos.high().get(1) - pos.low().get(1));
            if (!(span > 0) || !Double.isFinite(span)) {
                continue;
            }
            for (int k = 0; k < features.size(); k++) {
                FeatureSpec other = features.get(k);
                if (k != i && used[k] && other.size() == 2 && !periodic[k] && java.util.Objects.equals(other.unit(), pos.unit())) {
                    out.add(new double[] {offset[i], offset[i + 1], offset[k], span / 2});
                }
            }
        }
        return out.toArray(double[][]::new);
    }

    /** How many planar-pose-relative 2-D features the encoding appends (0 for envs without a pose). */
    public int relativeFeatures() {
        return relative.length;
    }

    /** True for angles in radians whose range spans one full turn. */
    public static boolean isPeriodic(FeatureSpec f) {
        if (!"rad".equals(f.unit())) {
            return false;
        }
        for (int i = 0; i < f.size(); i++) {
            if (Math.abs(f.high().get(i) - f.low().get(i) - 2 * Math.PI) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    public int encodedObservationDim() {
        return encodedObservationDim;
    }

    public int actionDim() {
        return actionDim;
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    /** Encodes one observation vector into {@code out} at {@code offset}. */
    public void encodeObservation(double[] obs, float[] out, int offset) {
        int in = 0;
        int o = offset;
        double[] scratch = new double[largestObservationFeature];
        for (int i = 0; i < observation.size(); i++) {
            FeatureSpec f = observation.get(i);
            if (used[i] && periodic[i]) {
                for (int k = 0; k < f.size(); k++) {
                    out[o++] = (float) Math.sin(obs[in + k]);
                    out[o++] = (float) Math.cos(obs[in + k]);
                }
            } else if (used[i]) {
                normalizer.get(observationKey(f)).normalize(obs, in, scratch, 0);
                for (int k = 0; k < f.size(); k++) {
                    out[o++] = (float) scratch[k];
                }
            }
            in += f.size();
        }
        for (double[] r : relative) {
            int p = (int) r[0];
            int k = (int) r[2];
            double a = obs[(int) r[1]];
            double c = Math.cos(a);
            double sn = Math.sin(a);
            double dx = obs[k] - obs[p];
            double dy = obs[k + 1] - obs[p + 1];
            out[o++] = (float) ((c * dx + sn * dy) / r[3]);
            out[o++] = (float) ((-sn * dx + c * dy) / r[3]);
        }
    }

    /** Normalises one action vector into {@code out} at {@code offset}. */
    public void encodeAction(double[] act, float[] out, int offset) {
        int in = 0;
        double[] scratch = new double[largestActionFeature];
        for (FeatureSpec f : action) {
            normalizer.get(actionKey(f)).normalize(act, in, scratch, 0);
            for (int k = 0; k < f.size(); k++) {
                out[offset + in + k] = (float) scratch[k];
            }
            in += f.size();
        }
    }

    /**
     * A normalised chunk of {@code horizon} rows whose first rows are {@code frozen} (physical
     * actions; the rest zeros), for real-time chunking's inpainting. Refuses more rows than the
     * horizon or a row of the wrong size, naming it.
     */
    public float[] encodeFrozenRows(double[][] frozen, int horizon) {
        if (frozen.length > horizon) {
            throw new kiban.core.error.KibanException("at most the " + horizon + "-step horizon can be frozen, got "
                    + frozen.length + " rows");
        }
        float[] target = new float[horizon * actionDim];
        for (int i = 0; i < frozen.length; i++) {
            if (frozen[i].length != actionDim) {
                throw new kiban.core.error.KibanException("frozen row " + i + " has " + frozen[i].length
                        + " values; the policy's actions have " + actionDim);
            }
            encodeAction(frozen[i], target, i * actionDim);
        }
        return target;
    }

    /** The rows a continued chunk is guided toward, {@code frozen} then {@code following}, encoded as {@link #encodeFrozenRows}. */
    public float[] encodeGuidingRows(double[][] frozen, double[][] following, int horizon) {
        double[][] guiding = new double[frozen.length + following.length][];
        System.arraycopy(frozen, 0, guiding, 0, frozen.length);
        System.arraycopy(following, 0, guiding, frozen.length, following.length);
        return encodeFrozenRows(guiding, horizon);
    }

    /** The physical chunks of {@code batch} normalised ones of {@code horizon} rows laid end to end. */
    public double[][][] decodeChunks(float[] chunks, int batch, int horizon) {
        double[][][] out = new double[batch][horizon][];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < horizon; h++) {
                out[b][h] = decodeAction(chunks, (b * horizon + h) * actionDim);
            }
        }
        return out;
    }

    /**
     * The physical action from a normalised one read at {@code offset}. An element the
     * demonstrations never varied (spread below {@link FeatureNormalizer#MIN_SPREAD}, such as a
     * UR5e wrist joint a top-down expert never turns) is that constant whatever the network says:
     * its output there is unscaled and would pass the network's error straight through.
     */
    public double[] decodeAction(float[] normalised, int offset) {
        FeatureNormalizer[] normalizers = actionNormalizers();
        double[] out = new double[actionDim];
        double[] scratch = new double[largestActionFeature];
        int in = 0;
        for (int i = 0; i < normalizers.length; i++) {
            int size = action.get(i).size();
            for (int k = 0; k < size; k++) {
                scratch[k] = normalised[offset + in + k];
            }
            FeatureNormalizer n = normalizers[i];
            n.denormalize(scratch, 0, out, in);
            for (int k = 0; k < size; k++) {
                if (constant(n, k)) {
                    out[in + k] = n.stats().mean()[k];
                }
            }
            in += size;
        }
        return out;
    }

    /** The action features' normalisers, looked up on first use (a server decodes every request's chunk). */
    private FeatureNormalizer[] actionNormalizers() {
        FeatureNormalizer[] n = actionNormalizers;
        if (n == null) {
            n = action.stream().map(f -> normalizer.get(actionKey(f))).toArray(FeatureNormalizer[]::new);
            actionNormalizers = n; // a race computes the same array twice, harmlessly
        }
        return n;
    }

    private static boolean constant(FeatureNormalizer n, int k) {
        return n.stats().max()[k] - n.stats().min()[k] < FeatureNormalizer.MIN_SPREAD;
    }

    /** This encoding as tables (see {@link EncodingLayout}), for runtimes other than Kiban's. */
    public EncodingLayout layout() {
        int dim = observation.stream().mapToInt(FeatureSpec::size).sum();
        double[] offset = new double[dim];
        double[] scale = new double[dim];
        // Candidates are laid out as EncodingLayout says: normalised, sines, cosines, relative pairs.
        int[] select = new int[encodedObservationDim];
        int in = 0;
        int o = 0;
        for (int i = 0; i < observation.size(); i++) {
            FeatureSpec f = observation.get(i);
            if (!used[i]) {
                java.util.Arrays.fill(scale, in, in + f.size(), 1);
            } else if (periodic[i]) {
                java.util.Arrays.fill(scale, in, in + f.size(), 1);
                for (int k = 0; k < f.size(); k++) {
                    select[o++] = dim + in + k;
                    select[o++] = 2 * dim + in + k;
                }
            } else {
                double[][] affine = normalizeAffine(normalizer.get(observationKey(f)));
                System.arraycopy(affine[0], 0, offset, in, f.size());
                System.arraycopy(affine[1], 0, scale, in, f.size());
                for (int k = 0; k < f.size(); k++) {
                    select[o++] = in + k;
                }
            }
            in += f.size();
        }
        int n = relative.length;
        int[] pos = new int[n];
        int[] angle = new int[n];
        int[] other = new int[n];
        double[] relScale = new double[n];
        for (int r = 0; r < n; r++) {
            pos[r] = (int) relative[r][0];
            angle[r] = (int) relative[r][1];
            other[r] = (int) relative[r][2];
            relScale[r] = relative[r][3];
            select[o++] = 3 * dim + 2 * r;
            select[o++] = 3 * dim + 2 * r + 1;
        }
        double[] actionScale = new double[actionDim()];
        double[] actionOffset = new double[actionDim()];
        int a = 0;
        for (FeatureSpec f : action) {
            FeatureNormalizer an = normalizer.get(actionKey(f));
            double[] zero = new double[f.size()];
            double[] one = new double[f.size()];
            java.util.Arrays.fill(one, 1);
            double[] d0 = new double[f.size()];
            double[] d1 = new double[f.size()];
            an.denormalize(zero, d0);
            an.denormalize(one, d1);
            for (int k = 0; k < f.size(); k++) {
                boolean fixed = constant(an, k);
                actionOffset[a + k] = fixed ? an.stats().mean()[k] : d0[k];
                actionScale[a + k] = fixed ? 0 : d1[k] - d0[k];
            }
            a += f.size();
        }
        return new EncodingLayout(dim, offset, scale, select, pos, angle, other, relScale, actionScale, actionOffset);
    }

    /**
     * The {@code (offset, scale)} of an affine normaliser, {@code y = (x - offset) * scale}, read
     * off its values at 0 and 1 so that this class needs no knowledge of the modes.
     */
    private static double[][] normalizeAffine(FeatureNormalizer n) {
        int size = n.dimension();
        double[] zero = new double[size];
        double[] one = new double[size];
        java.util.Arrays.fill(one, 1);
        double[] y0 = new double[size];
        double[] y1 = new double[size];
        n.normalize(zero, y0);
        n.normalize(one, y1);
        double[] offset = new double[size];
        double[] scale = new double[size];
        for (int k = 0; k < size; k++) {
            scale[k] = y1[k] - y0[k];
            offset[k] = -y0[k] / scale[k];
        }
        return new double[][] {offset, scale};
    }

    /** Feature names whose statistics a {@link Normalizer} for this codec must hold. */
    public List<String> normalizedFeatures() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < observation.size(); i++) {
            if (used[i] && !periodic[i]) {
                names.add(observationKey(observation.get(i)));
            }
        }
        action.forEach(f -> names.add(actionKey(f)));
        return names;
    }

    private static int maxSize(List<FeatureSpec> features) {
        return features.stream().mapToInt(FeatureSpec::size).max().orElse(0);
    }

    /** Normaliser keys are prefixed as LeRobot's feature keys are, since a state and an action may share a name. */
    public static String observationKey(FeatureSpec f) {
        return "observation." + f.name();
    }

    public static String actionKey(FeatureSpec f) {
        return "action." + f.name();
    }
}
