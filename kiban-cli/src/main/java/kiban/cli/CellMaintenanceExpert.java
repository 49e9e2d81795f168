package kiban.cli;

import kiban.health.cell.CellReading;
import kiban.health.cell.MaintenancePolicy;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.factory.CellObservation;
import kiban.sim.factory.ConditionBasedExpert;

/**
 * A {@link MaintenancePolicy} of kiban-health driving the simulated factory cell through the same
 * action the {@link ConditionBasedExpert} sends: both drives at nominal speed, the maintenance
 * request when the policy asks, and, while the machine is down, the conveyor stopped once the
 * buffer is nearly full, as the expert does, so the policies differ only in when they maintain.
 */
final class CellMaintenanceExpert implements Expert {

    private final MaintenancePolicy policy;
    private final double nearlyFull;

    /** {@code bufferCapacity} is the cell's buffer size (the high limit of its {@code buffer_level} feature). */
    CellMaintenanceExpert(MaintenancePolicy policy, double bufferCapacity) {
        this.policy = policy;
        this.nearlyFull = 0.9 * bufferCapacity;
    }

    /** The reading kiban-health sees in one observation of the simulated cell. */
    static CellReading reading(Observation o) {
        return CellReading.ofCode(o.state(CellObservation.MACHINE_STATE), o.state(CellObservation.VIBRATION_RMS),
                o.state(CellObservation.TEMPERATURE), o.state(CellObservation.MINUTES_SINCE_SERVICE));
    }

    @Override
    public void reset(long seed) {
        policy.reset();
    }

    @Override
    public double[] act(Observation o) {
        CellReading r = reading(o);
        boolean maintain = policy.maintain(r);
        if (r.down()) {
            return new double[] {o.state(CellObservation.BUFFER_LEVEL) >= nearlyFull ? 0.0 : 1.0, 1.0, 0.0};
        }
        return new double[] {1.0, 1.0, maintain ? 1.0 : 0.0};
    }
}
