package kiban.health.watch;

import java.util.LinkedHashMap;
import java.util.Map;
import kiban.core.machine.Telemetry;
import kiban.health.cell.CellHealthModel;
import kiban.health.cell.CellReading;
import kiban.health.cell.HealthEstimate;
import kiban.health.cell.PredictiveMaintenance;

/**
 * Turns a cell's readings into what the floor needs to hear, published through a
 * {@link Telemetry} (over MQTT in {@code kiban health watch}): an estimate every few readings
 * ({@value #ESTIMATE}), an alarm raised and cleared with hysteresis on the failure probability
 * ({@value #ALARM}), and a maintenance request once per service cycle when the model's tuned limit
 * is reached ({@value #MAINTENANCE}). Payloads are documented in docs/HEALTH.md.
 */
public final class HealthWatch {

    public static final String ESTIMATE = "health/estimate";
    public static final String ALARM = "health/alarm";
    public static final String MAINTENANCE = "health/maintenance";

    private final CellHealthModel model;
    private final WatchSettings settings;
    private final Telemetry telemetry;
    private final PredictiveMaintenance policy;
    private final Hysteresis alarm;
    private boolean requested;
    private long readings;
    private long warmReadings;
    private long alarmsRaised;
    private long requests;

    public HealthWatch(CellHealthModel model, WatchSettings settings, Telemetry telemetry) {
        this.model = model;
        this.settings = settings;
        this.telemetry = telemetry;
        this.policy = new PredictiveMaintenance(model);
        this.alarm = new Hysteresis(settings.alarmRaise(), settings.alarmClear());
    }

    /** Takes one reading. */
    public void accept(CellReading r) {
        readings++;
        boolean maintain = policy.maintain(r);
        if (r.down()) {
            requested = false; // a service has begun: the next cycle may need its own request
            return;
        }
        HealthEstimate e = policy.lastEstimate();
        if (e == null) {
            return;
        }
        warmReadings++;
        if ((warmReadings - 1) % settings.estimateEvery() == 0) {
            Map<String, Object> fields = estimateFields(r, e);
            fields.put("alarm", alarm.active());
            telemetry.publish(ESTIMATE, fields);
        }
        Hysteresis.Change change = alarm.update(e.failureProbability());
        if (change != Hysteresis.Change.NONE) {
            if (change == Hysteresis.Change.RAISED) {
                alarmsRaised++;
            }
            Map<String, Object> fields = estimateFields(r, e);
            fields.put("state", change == Hysteresis.Change.RAISED ? "raised" : "cleared");
            fields.put("raise_at", alarm.raiseAt());
            fields.put("clear_below", alarm.clearBelow());
            telemetry.publish(ALARM, fields);
        }
        if (maintain && !requested) {
            requested = true;
            requests++;
            Map<String, Object> fields = estimateFields(r, e);
            fields.put("maintain_at", model.maintainAt());
            fields.put("reason", "failure probability within " + (long) e.horizonMinutes() + " min reached the maintenance limit");
            telemetry.publish(MAINTENANCE, fields);
        }
    }

    private static Map<String, Object> estimateFields(CellReading r, HealthEstimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failure_probability", e.failureProbability());
        m.put("horizon_minutes", e.horizonMinutes());
        m.put("hazard_per_minute", e.hazardPerMinute());
        m.put("rul_minutes", e.rulMinutes());
        m.put("machine_state", r.machineState());
        m.put("vibration_rms", r.vibrationRms());
        m.put("temperature", r.temperature());
        m.put("minutes_since_service", r.minutesSinceService());
        return m;
    }

    public boolean alarmActive() {
        return alarm.active();
    }

    public long readings() {
        return readings;
    }

    public long alarmsRaised() {
        return alarmsRaised;
    }

    public long maintenanceRequests() {
        return requests;
    }
}
