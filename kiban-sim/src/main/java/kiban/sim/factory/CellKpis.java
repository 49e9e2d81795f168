package kiban.sim.factory;

import java.util.Map;
import java.util.TreeMap;

/**
 * The shift figures of a factory cell and the OEE arithmetic on them (Nakajima): planned time is
 * every simulated minute (the cell is scheduled round the clock), down time is failed plus
 * maintenance time, and starved or idle time counts as run time lost to performance.
 *
 * @param plannedMinutes simulated minutes so far
 * @param failedMinutes minutes under corrective repair
 * @param maintenanceMinutes minutes under preventive maintenance
 * @param totalParts parts the machine finished, good or scrap
 * @param goodParts finished parts that were not scrap
 * @param failures breakdowns (unplanned stops)
 * @param maintenances preventive maintenances started
 * @param idealCycleMinutes minutes a part takes at nominal speed
 */
public record CellKpis(long plannedMinutes, long failedMinutes, long maintenanceMinutes, long totalParts,
        long goodParts, int failures, int maintenances, double idealCycleMinutes) {

    public CellKpis {
        if (plannedMinutes < 0 || failedMinutes < 0 || maintenanceMinutes < 0
                || failedMinutes + maintenanceMinutes > plannedMinutes) {
            throw new IllegalArgumentException("down time (" + failedMinutes + " + " + maintenanceMinutes
                    + " min) must be non-negative and within the planned " + plannedMinutes + " min");
        }
        if (goodParts < 0 || goodParts > totalParts || !(idealCycleMinutes > 0)) {
            throw new IllegalArgumentException("need 0 <= good parts (" + goodParts + ") <= total parts (" + totalParts
                    + ") and a positive ideal cycle time, got " + idealCycleMinutes);
        }
    }

    public long downMinutes() {
        return failedMinutes + maintenanceMinutes;
    }

    public long runMinutes() {
        return plannedMinutes - downMinutes();
    }

    /** Run time over planned time; 1 before any time has passed. */
    public double availability() {
        return plannedMinutes == 0 ? 1 : (double) runMinutes() / plannedMinutes;
    }

    /** Ideal cycle time times parts over run time, capped at 1 (running above nominal speed is not credited). */
    public double performance() {
        return runMinutes() == 0 ? 0 : Math.min(1, idealCycleMinutes * totalParts / runMinutes());
    }

    /** Good parts over all parts; 1 before the first part. */
    public double quality() {
        return totalParts == 0 ? 1 : (double) goodParts / totalParts;
    }

    public double oee() {
        return availability() * performance() * quality();
    }

    public double downtimeFraction() {
        return plannedMinutes == 0 ? 0 : (double) downMinutes() / plannedMinutes;
    }

    /** Good parts an hour of planned time. */
    public double throughput() {
        return plannedMinutes == 0 ? 0 : goodParts * 60.0 / plannedMinutes;
    }

    /** The figures by their metric names, in a stable order. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new TreeMap<>();
        m.put("throughput", throughput());
        m.put("downtime_fraction", downtimeFraction());
        m.put("oee", oee());
        m.put("availability", availability());
        m.put("performance", performance());
        m.put("quality", quality());
        m.put("failures", (double) failures);
        m.put("maintenances", (double) maintenances);
        m.put("good_parts", (double) goodParts);
        m.put("scrap_parts", (double) (totalParts - goodParts));
        return m;
    }
}
