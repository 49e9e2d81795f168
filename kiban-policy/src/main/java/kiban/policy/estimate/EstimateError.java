package kiban.policy.estimate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.policy.data.Episode;

/**
 * How far an estimator's readings of one feature lie from the recorded values over held-out
 * frames, in the feature's unit: the RMS over its elements, and the median over frames of the
 * error's length (a 2-D position's distance). A periodic angle's error is taken the short way round (a
 * quarter-turn angle's within its quarter turn: {@link EstimatedFeatures#folds}).
 */
public record EstimateError(String feature, String unit, double rms, double median, int frames) {

    /**
     * The errors of {@code policy}'s estimates over every frame of {@code episodes}: one per estimated
     * feature, or per column of a table whose columns have their own units.
     */
    static List<EstimateError> over(EstimatedStatePolicy policy, List<Episode> episodes, EstimatedFeatures features) {
        List<double[]> truth = new ArrayList<>();
        List<double[]> read = new ArrayList<>();
        for (Episode e : episodes) {
            truth.addAll(Arrays.asList(e.observations()));
            read.addAll(Arrays.asList(policy.read(e)));
        }
        return of(policy.metadata().observation(), features.names(), truth, read);
    }

    /**
     * The errors of the features named {@code estimated} of the state vectors {@code read} against
     * {@code truth} (pairwise; laid out as {@code state}): one per feature, or per column of a table
     * whose columns have their own units.
     */
    public static List<EstimateError> of(List<FeatureSpec> state, List<String> estimated, List<double[]> truth,
            List<double[]> read) {
        List<EstimateError> out = new ArrayList<>();
        int offset = 0;
        for (FeatureSpec f : state) {
            if (estimated.contains(f.name())) {
                out.addAll(of(f, offset, truth, read));
            }
            offset += f.size();
        }
        return out;
    }

    /**
     * The error of feature {@code f} (at {@code offset} in the state): one figure, or one per column
     * for a table whose columns have their own units ({@code lane_traffic}'s gaps in m, speeds in m/s),
     * where one RMS over all its elements would add metres to flags.
     */
    static List<EstimateError> of(FeatureSpec f, int offset, List<double[]> truth, List<double[]> read) {
        double period = EstimatedFeatures.period(f);
        String[] units = f.unit().split(",\\s*");
        if (f.shape().size() != 2 || units.length != f.shape().get(1) || units.length < 2) {
            int[] all = new int[f.size()];
            Arrays.setAll(all, k -> offset + k);
            return List.of(error(f.name(), f.unit(), period, all, truth, read));
        }
        int rows = f.shape().get(0);
        int columns = units.length;
        List<EstimateError> out = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            int[] column = new int[rows];
            for (int r = 0; r < rows; r++) {
                column[r] = offset + r * columns + c;
            }
            String name = f.names().isEmpty() ? "column " + c : f.names().get(c).substring(f.names().get(c).indexOf('.') + 1);
            out.add(error(f.name() + "." + name, units[c], period, column, truth, read));
        }
        return out;
    }

    private static EstimateError error(String name, String unit, double period, int[] elements, List<double[]> truth,
            List<double[]> read) {
        double squares = 0;
        double[] lengths = new double[truth.size()];
        for (int i = 0; i < truth.size(); i++) {
            double frame = 0;
            for (int k : elements) {
                double d = read.get(i)[k] - truth.get(i)[k];
                if (period > 0) {
                    d = Math.IEEEremainder(d, period);
                }
                frame += d * d;
            }
            squares += frame;
            lengths[i] = Math.sqrt(frame);
        }
        Arrays.sort(lengths);
        int n = lengths.length;
        double median = n % 2 == 1 ? lengths[n / 2] : (lengths[n / 2 - 1] + lengths[n / 2]) / 2;
        return new EstimateError(name, unit, Math.sqrt(squares / ((double) n * elements.length)), median, n);
    }

    public void write(ObjectNode o) {
        o.put("unit", unit).put("rms", rms).put("median", median).put("frames", frames);
    }

    @Override
    public String toString() {
        String degrees = "rad".equals(unit) ? String.format(" (%.2f and %.2f degrees)", Math.toDegrees(rms),
                Math.toDegrees(median)) : "";
        String shown = unit.isEmpty() || "1".equals(unit) ? "" : " " + unit;
        return String.format("%-22s RMS %.4g%s per element, median %.4g%s%s over %d frames", feature, rms, shown, median,
                shown, degrees, frames);
    }
}
