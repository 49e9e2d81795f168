package kiban.core.machine;

import java.util.Map;

/**
 * Where the runtime reports what happens (loop statistics, interventions, machine metrics), for
 * dashboards on the factory floor. Publishing must never block the control loop: implementations
 * queue and drop rather than wait.
 */
public interface Telemetry extends AutoCloseable {

    /**
     * Publishes one event. {@code topic} is relative ({@code "loop"}, {@code "intervention"});
     * {@code fields} hold strings, numbers, booleans or nested maps and lists of them.
     */
    void publish(String topic, Map<String, ?> fields);

    /** A sink that drops everything, for runs without telemetry. */
    static Telemetry none() {
        return (topic, fields) -> {};
    }

    @Override
    default void close() {}
}
