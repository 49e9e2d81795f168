package kiban.health.cell;

/**
 * Time-based preventive maintenance: service the machine once it has run {@code intervalMinutes}
 * since its last service, whatever its sensors say. Age replacement pays only where wear makes the
 * hazard grow with age (a Weibull shape above 1), as it does in the cell.
 */
public record FixedIntervalMaintenance(double intervalMinutes) implements MaintenancePolicy {

    public FixedIntervalMaintenance {
        if (!(intervalMinutes > 0) || !Double.isFinite(intervalMinutes)) {
            throw new IllegalArgumentException("maintenance interval must be a positive number of minutes, got " + intervalMinutes);
        }
    }

    @Override
    public void reset() {}

    @Override
    public boolean maintain(CellReading reading) {
        return !reading.down() && reading.minutesSinceService() >= intervalMinutes;
    }

    @Override
    public String name() {
        return "fixed-interval";
    }
}
