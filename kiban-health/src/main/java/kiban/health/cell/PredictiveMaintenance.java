package kiban.health.cell;

/**
 * Predictive maintenance: service the machine once the health model gives a failure within the
 * next {@code horizonMinutes} of running at least {@code maintainAt} probability. This is the
 * control-limit rule of condition-based maintenance under proportional hazards (Makis and
 * Jardine): maintenance pays once the risk it removes is worth more than the down time it costs,
 * and the limit that balances the two is chosen on training histories.
 */
public final class PredictiveMaintenance implements MaintenancePolicy {

    private final HazardModel model;
    private final double horizonMinutes;
    private final double maintainAt;
    private final HealthFilter filter = new HealthFilter();
    private HealthEstimate last;

    public PredictiveMaintenance(HazardModel model, double horizonMinutes, double maintainAt) {
        if (!(horizonMinutes > 0) || !(maintainAt > 0 && maintainAt < 1)) {
            throw new IllegalArgumentException("need a positive horizon and a probability limit in (0, 1), got "
                    + horizonMinutes + " min and " + maintainAt);
        }
        this.model = model;
        this.horizonMinutes = horizonMinutes;
        this.maintainAt = maintainAt;
    }

    public PredictiveMaintenance(CellHealthModel model) {
        this(model.hazard(), model.horizonMinutes(), model.maintainAt());
    }

    @Override
    public void reset() {
        filter.reset();
        last = null;
    }

    @Override
    public boolean maintain(CellReading reading) {
        HealthFeatures f = filter.update(reading);
        if (reading.down() || !f.warm()) {
            last = null;
            return false;
        }
        last = model.estimate(f, horizonMinutes);
        return last.failureProbability() >= maintainAt;
    }

    /** The estimate behind the last decision; null while the machine is down or the filter warms up. */
    public HealthEstimate lastEstimate() {
        return last;
    }

    @Override
    public String name() {
        return "predictive";
    }
}
