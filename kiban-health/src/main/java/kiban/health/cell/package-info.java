/**
 * Health and maintenance of the factory cell from what its sensors show, without the simulator:
 * readings ({@link kiban.health.cell.CellReading}) are smoothed into covariates
 * ({@link kiban.health.cell.HealthFilter}), a proportional-hazards model fitted to run-to-failure
 * histories ({@link kiban.health.cell.HazardFit}) turns them into a failure probability and a
 * remaining useful life ({@link kiban.health.cell.HealthEstimate}), and maintenance policies
 * ({@link kiban.health.cell.PredictiveMaintenance}, {@link kiban.health.cell.FixedIntervalMaintenance})
 * decide when to service. {@code kiban-cli} joins them to the simulated cell and to the factory floor.
 */
package kiban.health.cell;
