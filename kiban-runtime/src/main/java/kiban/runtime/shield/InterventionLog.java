package kiban.runtime.shield;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.core.machine.Telemetry;

/**
 * Keeps the first {@code capacity} interventions for the run's report and publishes each to the
 * telemetry sink (topic {@code intervention}, with the reason and the command before and after).
 * Beyond the capacity only the telemetry sees them; the shield's counts see all.
 */
public final class InterventionLog implements InterventionListener {

    private final int capacity;
    private final Telemetry telemetry;
    private final List<Intervention> kept = new ArrayList<>();

    public InterventionLog(int capacity, Telemetry telemetry) {
        this.capacity = capacity;
        this.telemetry = telemetry;
    }

    @Override
    public synchronized void onIntervention(Intervention i) {
        if (kept.size() < capacity) {
            kept.add(i);
        }
        telemetry.publish("intervention", Map.of("cycle", i.cycle(), "reason", i.reason().wireName(), "detail", i.detail(),
                "before", toList(i.before()), "after", toList(i.after())));
    }

    /** The interventions kept, oldest first. */
    public synchronized List<Intervention> kept() {
        return List.copyOf(kept);
    }

    private static List<Double> toList(double[] v) {
        if (v == null) {
            return List.of();
        }
        List<Double> l = new ArrayList<>(v.length);
        for (double x : v) {
            l.add(x);
        }
        return l;
    }
}
