package kiban.health.cell;

/**
 * When to take the cell's machine down for preventive maintenance, from its readings alone. Called
 * once a control step with the newest reading; the caller turns {@code true} into the cell's
 * maintenance request.
 */
public sealed interface MaintenancePolicy permits PredictiveMaintenance, FixedIntervalMaintenance {

    /** Forgets the machine's history, as at the start of an episode. */
    void reset();

    /** Whether to request maintenance now. */
    boolean maintain(CellReading reading);

    /** A short name for tables. */
    String name();
}
