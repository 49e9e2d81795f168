package kiban.health.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.core.machine.Telemetry;
import kiban.health.cell.CellHealthModel;
import kiban.health.cell.CellReading;
import kiban.health.cell.Covariate;
import kiban.health.cell.HazardModel;
import org.junit.jupiter.api.Test;

class HealthWatchTest {

    private record Event(String topic, Map<String, ?> fields) {}

    /** Background 1e-4; wear term 1e-3 a minute at 4 mm/s, ten times that per mm/s more; 60-minute horizon, maintain at 0.3. */
    private static CellHealthModel model() {
        HazardModel h = new HazardModel(List.of(Covariate.VIBRATION), new double[] {4}, new double[] {1}, Math.log(1e-4),
                Math.log(1e-3), new double[] {Math.log(10)}, 0);
        return new CellHealthModel(h, 60, 0.3, "test");
    }

    @Test
    void publishesEstimatesAnAlarmWithHysteresisAndOneMaintenanceRequestPerServiceCycle() {
        List<Event> events = new ArrayList<>();
        Telemetry sink = (topic, fields) -> events.add(new Event(topic, fields));
        HealthWatch watch = new HealthWatch(model(), new WatchSettings(0.2, 0.1, 5), sink);
        feed(watch, CellReading.RUNNING, 3, 40); // P ~ 0.01: quiet
        assertThat(topics(events, HealthWatch.ALARM)).isEmpty();
        assertThat(topics(events, HealthWatch.ESTIMATE)).hasSize((40 - 9 + 4) / 5);
        feed(watch, CellReading.RUNNING, 6, 60); // P -> 1: alarm and a request, each once
        assertThat(topics(events, HealthWatch.ALARM)).hasSize(1);
        assertThat(topics(events, HealthWatch.ALARM).getFirst().fields().get("state")).isEqualTo("raised");
        assertThat(topics(events, HealthWatch.MAINTENANCE)).hasSize(1);
        assertThat((double) topics(events, HealthWatch.MAINTENANCE).getFirst().fields().get("failure_probability")).isGreaterThanOrEqualTo(0.3);
        feed(watch, CellReading.MAINTENANCE, 0.1, 60);
        feed(watch, CellReading.RUNNING, 2, 40); // serviced: probability falls below the clear level
        List<Event> alarms = topics(events, HealthWatch.ALARM);
        assertThat(alarms).hasSize(2);
        assertThat(alarms.get(1).fields().get("state")).isEqualTo("cleared");
        assertThat((double) alarms.get(1).fields().get("failure_probability")).isLessThan(0.1);
        feed(watch, CellReading.RUNNING, 6, 60); // the new cycle wears out: a second request
        assertThat(topics(events, HealthWatch.MAINTENANCE)).hasSize(2);
        assertThat(watch.alarmsRaised()).isEqualTo(2);
        assertThat(watch.maintenanceRequests()).isEqualTo(2);
    }

    private static void feed(HealthWatch watch, int state, double vibration, int n) {
        for (int i = 0; i < n; i++) {
            watch.accept(new CellReading(state, vibration, 60, i));
        }
    }

    private static List<Event> topics(List<Event> events, String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).toList();
    }
}
