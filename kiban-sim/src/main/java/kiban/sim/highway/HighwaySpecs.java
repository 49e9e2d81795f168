package kiban.sim.highway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import kiban.core.embodiment.CameraSpec;
import kiban.core.embodiment.EmbodimentRegistry;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.sim.env.EnvSpec;

/** The highway env's spec: the built-in {@code vehicle} embodiment plus nearby traffic, lane and per-lane traffic features. */
public final class HighwaySpecs {

    public static final String NAME = "highway";
    /** Other vehicles observed, as highway-env's Kinematics rows after the ego's. */
    public static final int OBSERVED_VEHICLES = 5;
    /** Columns of a nearby-vehicle row. */
    public static final List<String> COLUMNS = List.of("presence", "x", "y", "vx", "vy");
    /** Kinematics' automatic feature ranges on a 4-lane road: x +-200 m, y +-16 m, vx and vy +-80 m/s. */
    static final double[] ROW_LOW = {0, -200, -16, -80, -80};
    static final double[] ROW_HIGH = {1, 200, 16, 80, 80};
    /** Bound on the lateral offset from the closest lane centre (on road it stays within +-2 m). */
    static final double MAX_LANE_OFFSET = 4.0;
    public static final double DURATION_S = 40.0;
    /** The top camera's size: highway-env's image observation's 128 x 64 (in RGB; highway-env's is grey). */
    public static final int TOP_CAMERA_WIDTH = 128;
    public static final int TOP_CAMERA_HEIGHT = 64;

    private static final EnvSpec SPEC = build();

    private HighwaySpecs() {}

    public static EnvSpec spec() {
        return SPEC;
    }

    private static EnvSpec build() {
        EmbodimentSpec vehicle = EmbodimentRegistry.withBuiltIns().get("vehicle");
        List<FeatureSpec> observation = new ArrayList<>(vehicle.state());
        observation.add(nearbyVehicles());
        observation.add(new FeatureSpec("lane", "1, m", List.of(2), List.of("index", "offset"),
                List.of(0.0, -MAX_LANE_OFFSET), List.of(3.0, MAX_LANE_OFFSET), List.of()));
        observation.add(laneTraffic());
        int maxSteps = (int) Math.round(DURATION_S * vehicle.controlHz());
        return new EnvSpec(NAME,
                "highway-env highway-v0: 4-lane straight road, 50 IDM/MOBIL vehicles, continuous acceleration and steering",
                vehicle, observation, List.of(new CameraSpec("top", TOP_CAMERA_HEIGHT, TOP_CAMERA_WIDTH, 3)),
                vehicle.controlHz(), maxSteps, HighwayTasks.ALL);
    }

    private static FeatureSpec laneTraffic() {
        double[] low = {0, LaneTraffic.BLOCKED, -LaneTraffic.MAX_DVX, LaneTraffic.BLOCKED, -LaneTraffic.MAX_DVX};
        double[] high = {1, LaneTraffic.FAR, LaneTraffic.MAX_DVX, LaneTraffic.FAR, LaneTraffic.MAX_DVX};
        return table("lane_traffic", "1, m, m/s, m, m/s", List.of("left", "own", "right"), LaneTraffic.COLUMNS, low, high);
    }

    private static FeatureSpec nearbyVehicles() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < OBSERVED_VEHICLES; i++) {
            rows.add("v" + i);
        }
        return table("nearby_vehicles", "1, m, m, m/s, m/s", rows, COLUMNS, ROW_LOW, ROW_HIGH);
    }

    /** A rows x columns feature whose element names are {@code row.column}, every row with the same bounds. */
    private static FeatureSpec table(String name, String unit, List<String> rows, List<String> columns,
            double[] columnLow, double[] columnHigh) {
        List<String> names = new ArrayList<>();
        List<Double> low = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        for (String row : rows) {
            for (int k = 0; k < columns.size(); k++) {
                names.add(row + "." + columns.get(k));
                low.add(columnLow[k]);
                high.add(columnHigh[k]);
            }
        }
        return new FeatureSpec(name, unit, List.of(rows.size(), columns.size()), names, low, high, Collections.emptyList());
    }
}
