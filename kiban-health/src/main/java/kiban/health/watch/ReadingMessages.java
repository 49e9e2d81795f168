package kiban.health.watch;

import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.health.cell.CellReading;

/**
 * Readings that arrive as JSON messages (on an MQTT topic) rather than from a mapped machine:
 * {@code {"machine_state": 0, "vibration_rms": 3.1, "temperature": 61.2, "minutes_since_service": 412}},
 * the feature names of the factory cell, extra fields ignored. {@code minutes_since_service} is
 * needed only by models that read the machine's age.
 */
public final class ReadingMessages {

    private ReadingMessages() {}

    /** Parses and checks one message; errors name {@code source} (the topic and message number), the field and the value. */
    public static CellReading parse(String text, String source, boolean needAge) {
        FieldReader root = FieldReader.root(Json.parseTree(text, source), source);
        if (!root.node().isObject()) {
            throw root.invalid("a JSON object of readings", FieldReader.describe(root.node()));
        }
        double state = root.requireDouble(ReadingLayout.MACHINE_STATE, 0, 3);
        double vibration = root.requireDouble(ReadingLayout.VIBRATION, 0, 1000);
        double temperature = root.requireDouble(ReadingLayout.TEMPERATURE, -100, 1000);
        double age = needAge ? root.requireDouble(ReadingLayout.MINUTES_SINCE_SERVICE, 0, 1e9)
                : root.optDouble(ReadingLayout.MINUTES_SINCE_SERVICE, 0, 1e9, 0);
        return CellReading.ofCode(state, vibration, temperature, age);
    }
}
