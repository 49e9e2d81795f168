package kiban.data.sample;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import kiban.core.error.InvalidInputException;

/**
 * Per-feature frame offsets of a window, from LeRobot's {@code delta_timestamps} in seconds (for
 * example {@code observation.state: [-0.1, 0]}, {@code action: [0, 0.1, ..., 0.9]} at 10 fps).
 */
public record DeltaTimestamps(Map<String, int[]> frameOffsets) {

    /** LeRobot's tolerance between a delta and a whole number of frames, in seconds. */
    public static final double TOLERANCE_S = 1e-4;

    public DeltaTimestamps {
        frameOffsets = Collections.unmodifiableMap(new LinkedHashMap<>(frameOffsets));
    }

    /** Offsets from deltas in seconds; each must be a whole number of frames at {@code fps}. */
    public static DeltaTimestamps ofSeconds(Map<String, double[]> deltas, int fps) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (var e : deltas.entrySet()) {
            double[] d = e.getValue();
            if (d.length == 0) {
                throw new InvalidInputException("delta_timestamps", e.getKey(), "at least one offset", "none");
            }
            int[] o = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                double frames = d[i] * fps;
                o[i] = (int) Math.round(frames);
                if (Math.abs(frames - o[i]) / fps > TOLERANCE_S) {
                    throw new InvalidInputException("delta_timestamps", e.getKey() + "[" + i + "]",
                            "a multiple of 1/fps = " + (1.0 / fps) + " s", d[i] + " s");
                }
            }
            out.put(e.getKey(), o);
        }
        return new DeltaTimestamps(out);
    }

    /** Offsets given directly in frames. */
    public static DeltaTimestamps ofFrames(Map<String, int[]> offsets) {
        return new DeltaTimestamps(offsets);
    }

    /** {@code n} consecutive frames starting at {@code from} (e.g. an action chunk: 0..n-1). */
    public static int[] range(int from, int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = from + i;
        }
        return o;
    }
}
