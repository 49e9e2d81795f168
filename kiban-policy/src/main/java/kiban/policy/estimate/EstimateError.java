package kiban.policy.estimate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyObservation;
import kiban.policy.data.Episode;
import kiban.policy.data.FeatureCodec;

/**
 * How far an estimator's readings of one feature lie from the recorded values over held-out
 * frames, in the feature's unit: the RMS over its elements, and the median over frames of the
 * error's length (a 2-D position's distance). A periodic angle's error is taken the short way round.
 */
public record EstimateError(String feature, String unit, double rms, double median, int frames) {

    private static final int BATCH = 256;

    /** The errors of {@code policy}'s estimates over every frame of {@code episodes}, one per estimated feature. */
    static List<EstimateError> over(EstimatedStatePolicy policy, List<Episode> episodes, EstimatedFeatures features) {
        List<ImageSpec> cameras = policy.metadata().images();
        List<FeatureSpec> state = policy.metadata().observation();
        List<double[]> truth = new ArrayList<>();
        List<double[]> read = new ArrayList<>();
        List<PolicyObservation[]> batch = new ArrayList<>();
        for (Episode e : episodes) {
            for (int i = 0; i < e.length(); i++) {
                Map<String, byte[]> frames = new HashMap<>();
                for (int c = 0; c < cameras.size(); c++) {
                    frames.put(cameras.get(c).name(), e.images().get(c).frame(i));
                }
                batch.add(new PolicyObservation[] {new PolicyObservation(e.observations()[i], frames)});
                truth.add(e.observations()[i]);
                if (batch.size() == BATCH) {
                    flush(policy, batch, read);
                }
            }
        }
        flush(policy, batch, read);
        List<EstimateError> out = new ArrayList<>();
        int offset = 0;
        for (FeatureSpec f : state) {
            if (features.names().contains(f.name())) {
                out.add(of(f, offset, truth, read));
            }
            offset += f.size();
        }
        return out;
    }

    private static void flush(EstimatedStatePolicy policy, List<PolicyObservation[]> batch, List<double[]> read) {
        if (batch.isEmpty()) {
            return;
        }
        for (PolicyObservation[] h : policy.estimated(batch.toArray(PolicyObservation[][]::new))) {
            read.add(h[0].state());
        }
        batch.clear();
    }

    private static EstimateError of(FeatureSpec f, int offset, List<double[]> truth, List<double[]> read) {
        boolean periodic = FeatureCodec.isPeriodic(f);
        double squares = 0;
        double[] lengths = new double[truth.size()];
        for (int i = 0; i < truth.size(); i++) {
            double frame = 0;
            for (int k = 0; k < f.size(); k++) {
                double d = read.get(i)[offset + k] - truth.get(i)[offset + k];
                if (periodic) {
                    d = Math.IEEEremainder(d, 2 * Math.PI);
                }
                frame += d * d;
            }
            squares += frame;
            lengths[i] = Math.sqrt(frame);
        }
        Arrays.sort(lengths);
        int n = lengths.length;
        double median = n % 2 == 1 ? lengths[n / 2] : (lengths[n / 2 - 1] + lengths[n / 2]) / 2;
        return new EstimateError(f.name(), f.unit(), Math.sqrt(squares / ((double) n * f.size())), median, n);
    }

    public void write(ObjectNode o) {
        o.put("unit", unit).put("rms", rms).put("median", median).put("frames", frames);
    }

    @Override
    public String toString() {
        String degrees = "rad".equals(unit) ? String.format(" (%.2f and %.2f degrees)", Math.toDegrees(rms),
                Math.toDegrees(median)) : "";
        String shown = unit.isEmpty() || "1".equals(unit) ? "" : " " + unit;
        return String.format("%-14s RMS %.4g%s per element, median %.4g%s over %d frames", feature, rms, shown, median,
                degrees, frames);
    }
}
