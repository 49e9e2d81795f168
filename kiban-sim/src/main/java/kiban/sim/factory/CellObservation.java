package kiban.sim.factory;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.FeatureSpec;

/**
 * Where each figure sits in the factory cell's observation vector: the embodiment's six state
 * features, then two task features the controller of a real cell would also know.
 */
public final class CellObservation {

    private CellObservation() {}

    public static final int CONVEYOR_SPEED = 0;
    public static final int MACHINE_SPEED = 1;
    public static final int VIBRATION_RMS = 2;
    public static final int TEMPERATURE = 3;
    public static final int BUFFER_LEVEL = 4;
    public static final int MACHINE_STATE = 5;
    /** Good parts made since the episode started. */
    public static final int PARTS_DONE = 6;
    /** Simulated minutes since the last repair or maintenance ended (or the estimated age at the start). */
    public static final int MINUTES_SINCE_SERVICE = 7;
    public static final int SIZE = 8;

    /** The observation features: the embodiment's state, then {@code parts_done} and {@code minutes_since_service}. */
    static List<FeatureSpec> features(EmbodimentSpec embodiment) {
        List<FeatureSpec> out = new ArrayList<>(embodiment.state());
        if (out.size() != PARTS_DONE) {
            throw new IllegalStateException("factory-cell embodiment must have " + PARTS_DONE
                    + " state features, has " + out.size());
        }
        // 1.5 parts a minute for a whole episode bounds the count
        out.add(scalar("parts_done", "parts", 1.5 * CellModel.EPISODE_STEPS));
        out.add(scalar("minutes_since_service", "min", CellModel.EPISODE_STEPS + CellModel.INITIAL_WEAR_MAX / CellModel.WEAR_PER_MINUTE));
        return out;
    }

    private static FeatureSpec scalar(String name, String unit, double high) {
        return new FeatureSpec(name, unit, List.of(1), List.of(), List.of(0.0), List.of(high), List.of());
    }
}
