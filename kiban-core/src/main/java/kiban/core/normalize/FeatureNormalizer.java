package kiban.core.normalize;

/**
 * Scales one feature by a mode and the statistics it was fitted on. The offset and scale are
 * computed once, so {@link #normalize} and {@link #denormalize} are one multiply-add per element
 * and allocate nothing (they run inside training and control loops).
 */
public final class FeatureNormalizer {

    /** Added to every denominator, as LeRobot does, so a constant feature does not divide by zero. */
    public static final double EPS = 1e-8;

    /**
     * A spread (max - min, q99 - q01 or standard deviation) below this marks an element as
     * constant: it is centred and left unscaled instead of stretched to unit range. Stretching
     * would blow rounding noise up into full-range inputs (a UR5e wrist joint the expert never
     * turns varies by 2e-7 rad in float32, and became noise in [-1, 1]) and turn any deviation at
     * run time into an enormous one (a presence flag always 1 in the data, seen as 0, became -2e8).
     * Diffusion Policy's normaliser does the same with the same threshold ({@code range_eps}).
     */
    public static final double MIN_SPREAD = 1e-4;

    private final NormalizationMode mode;
    private final FeatureStats stats;
    private final double[] offset;
    private final double[] scale;

    public FeatureNormalizer(NormalizationMode mode, FeatureStats stats) {
        this.mode = mode;
        this.stats = stats;
        int n = stats.dimension();
        offset = new double[n];
        scale = new double[n];
        for (int i = 0; i < n; i++) {
            switch (mode) {
                case MEAN_STD -> {
                    offset[i] = stats.mean()[i];
                    scale[i] = stats.std()[i] < MIN_SPREAD ? 1 : 1.0 / (stats.std()[i] + EPS);
                }
                case MIN_MAX -> setRange(i, stats.min()[i], stats.max()[i]);
                case QUANTILES -> setRange(i, stats.q01()[i], stats.q99()[i]);
                case IDENTITY -> {
                    offset[i] = 0;
                    scale[i] = 1;
                }
            }
        }
    }

    /**
     * Maps {@code [lo, hi]} to {@code [-1, 1]}: y = (x - centre) * 2 / (hi - lo + eps); a range
     * narrower than {@link #MIN_SPREAD} is only centred.
     */
    private void setRange(int i, double lo, double hi) {
        if (hi - lo < MIN_SPREAD) {
            scale[i] = 1;
            offset[i] = (lo + hi) / 2;
            return;
        }
        scale[i] = 2.0 / (hi - lo + EPS);
        offset[i] = lo + 1.0 / scale[i];
    }

    public NormalizationMode mode() {
        return mode;
    }

    public FeatureStats stats() {
        return stats;
    }

    public int dimension() {
        return offset.length;
    }

    /** Writes the normalised {@code x} into {@code out} (which may be {@code x}). */
    public void normalize(double[] x, double[] out) {
        normalize(x, 0, out, 0);
    }

    /** Normalises {@code dimension()} elements of {@code x} from {@code from} into {@code out} at {@code to}. */
    public void normalize(double[] x, int from, double[] out, int to) {
        for (int i = 0; i < offset.length; i++) {
            out[to + i] = (x[from + i] - offset[i]) * scale[i];
        }
    }

    public void denormalize(double[] y, double[] out) {
        denormalize(y, 0, out, 0);
    }

    public void denormalize(double[] y, int from, double[] out, int to) {
        for (int i = 0; i < offset.length; i++) {
            out[to + i] = y[from + i] / scale[i] + offset[i];
        }
    }

    /** Same as {@link #normalize(double[], int, double[], int)} for float buffers fed to models. */
    public void normalize(float[] x, int from, float[] out, int to) {
        for (int i = 0; i < offset.length; i++) {
            out[to + i] = (float) ((x[from + i] - offset[i]) * scale[i]);
        }
    }

    public void denormalize(float[] y, int from, float[] out, int to) {
        for (int i = 0; i < offset.length; i++) {
            out[to + i] = (float) (y[from + i] / scale[i] + offset[i]);
        }
    }
}
