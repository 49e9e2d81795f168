package kiban.health.watch;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.health.cell.CellReading;

/**
 * Where the health model's inputs sit in a machine's state vector, found by feature name:
 * {@code machine_state}, {@code vibration_rms}, {@code temperature} and, where the model reads the
 * machine's age, {@code minutes_since_service}.
 */
public record ReadingLayout(int machineState, int vibration, int temperature, int minutesSinceService, int size) {

    public static final String MACHINE_STATE = "machine_state";
    public static final String VIBRATION = "vibration_rms";
    public static final String TEMPERATURE = "temperature";
    public static final String MINUTES_SINCE_SERVICE = "minutes_since_service";

    /**
     * Finds the features in {@code features} (each of one element); {@code source} names the file
     * that listed them. {@code needAge} makes {@code minutes_since_service} required.
     */
    public static ReadingLayout of(List<FeatureSpec> features, boolean needAge, String source) {
        List<String> names = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int offset = 0;
        for (FeatureSpec f : features) {
            names.add(f.name());
            offsets.add(offset);
            offset += f.size();
        }
        int age = names.indexOf(MINUTES_SINCE_SERVICE);
        if (needAge && age < 0) {
            throw missing(MINUTES_SINCE_SERVICE, names, source);
        }
        return new ReadingLayout(find(MACHINE_STATE, names, offsets, source), find(VIBRATION, names, offsets, source),
                find(TEMPERATURE, names, offsets, source), age < 0 ? -1 : offsets.get(age), offset);
    }

    private static int find(String name, List<String> names, List<Integer> offsets, String source) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw missing(name, names, source);
        }
        return offsets.get(i);
    }

    private static InvalidInputException missing(String name, List<String> names, String source) {
        return new InvalidInputException(source, "state", "a feature named '" + name + "' (the health model reads it)",
                "features " + String.join(", ", names));
    }

    /** The reading in a state vector; null where a value is not finite (a sensor that returned garbage). */
    public CellReading read(double[] state) {
        if (state.length != size) {
            throw new IllegalArgumentException("state vector of " + state.length + " values, expected " + size);
        }
        double code = state[machineState];
        double v = state[vibration];
        double t = state[temperature];
        double age = minutesSinceService < 0 ? 0 : state[minutesSinceService];
        if (!Double.isFinite(code) || !Double.isFinite(v) || !Double.isFinite(t) || !Double.isFinite(age)) {
            return null;
        }
        return CellReading.ofCode(code, v, t, age);
    }
}
