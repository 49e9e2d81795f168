package kiban.health.cell;

import java.util.List;

/** Hand-made hazard models for tests, with figures chosen to make the arithmetic easy to check. */
final class Models {

    private Models() {}

    /**
     * Background 1e-4 a minute; wear term exp(ln(1e-3) + ln(10) (v - 4)): 1e-3 a minute at 4 mm/s,
     * ten times that for each mm/s more; no drift.
     */
    static HazardModel vibrationOnly() {
        return new HazardModel(List.of(Covariate.VIBRATION), new double[] {4}, new double[] {1}, Math.log(1e-4), Math.log(1e-3),
                new double[] {Math.log(10)}, 0);
    }

    static HealthFeatures running(double vibration) {
        return new HealthFeatures(vibration, 60, 100, true, true);
    }

    static CellReading reading(int state, double vibration) {
        return new CellReading(state, vibration, 60, 100);
    }
}
