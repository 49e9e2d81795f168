package kiban.health.cell;

import java.util.ArrayList;
import java.util.List;

/**
 * Run-to-failure histories as survival data: one row per warm running minute, with the covariates
 * at that minute, whether the machine failed in the minute after it, and the service cycle the row
 * belongs to (a cycle runs from one service to the next).
 */
public final class FailureHistory {

    /** One row: the features at a minute and whether the next reading showed a failure. */
    public record Row(int cycle, HealthFeatures features, boolean failed) {}

    private final List<Row> rows = new ArrayList<>();
    private int cycles;
    private int failures;

    /** Starts a new service cycle (after a reset of the machine or a service). */
    public void newCycle() {
        cycles++;
    }

    public void add(HealthFeatures features, boolean failed) {
        rows.add(new Row(cycles, features, failed));
        if (failed) {
            failures++;
        }
    }

    public List<Row> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    public int failures() {
        return failures;
    }

    public int cycles() {
        return cycles;
    }

    /**
     * Feeds one episode's readings, in order, through a fresh {@link HealthFilter} and keeps each
     * warm running minute with whether the reading after it is a failure.
     */
    public void addEpisode(List<CellReading> readings) {
        HealthFilter filter = new HealthFilter();
        newCycle();
        boolean wasDown = false;
        for (int t = 0; t + 1 < readings.size(); t++) {
            CellReading r = readings.get(t);
            HealthFeatures f = filter.update(r);
            if (r.down() && !wasDown) {
                newCycle();
            }
            wasDown = r.down();
            if (f.running() && f.warm()) {
                add(f, readings.get(t + 1).machineState() == CellReading.FAILED);
            }
        }
    }
}
