package kiban.health.cell;

/**
 * The covariates of a health model at one step.
 *
 * @param vibration           smoothed RMS vibration of the running machine, mm/s
 * @param temperature         smoothed temperature of the running machine, degC
 * @param minutesSinceService the machine's age since its last service, minutes
 * @param warm                whether enough running readings since the last service back the averages
 * @param running             whether the machine ran at this step (only running minutes wear and fail)
 */
public record HealthFeatures(double vibration, double temperature, double minutesSinceService, boolean warm, boolean running) {}
