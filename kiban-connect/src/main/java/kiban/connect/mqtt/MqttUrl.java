package kiban.connect.mqtt;

import java.net.URI;
import kiban.connect.ServerUrl;
import kiban.core.error.InvalidInputException;

/**
 * A checked telemetry URL, {@code mqtt://host[:port][/prefix]}: the broker (port 1883 by default)
 * and the topic prefix every event is published under ({@value #DEFAULT_PREFIX} by default).
 */
public record MqttUrl(String host, int port, String prefix) {

    public static final int DEFAULT_PORT = 1883;
    public static final String DEFAULT_PREFIX = "kiban";
    private static final String EXPECTED = "an MQTT URL such as mqtt://host:1883/plant/cell-1";

    /** Parses {@code text}; {@code source} names where it came from (an option, a file) in errors. */
    public static MqttUrl parse(String text, String source) {
        ServerUrl url = ServerUrl.parse(text, source, "mqtt", DEFAULT_PORT, EXPECTED, "scheme mqtt; TLS is not supported yet");
        URI uri = url.uri();
        int port = url.port();
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.replaceAll("^/+|/+$", "");
        if (prefix.isEmpty()) {
            prefix = DEFAULT_PREFIX;
        }
        checkTopic(prefix, source, "the topic prefix");
        return new MqttUrl(uri.getHost(), port, prefix);
    }

    /** The broker address as Paho wants it. */
    public String serverUri() {
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Checks a topic or prefix: levels separated by '/', none empty, no wildcards. */
    static void checkTopic(String topic, String source, String what) {
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#") || topic.contains("//")
                || topic.startsWith("/") || topic.endsWith("/") || topic.indexOf('\0') >= 0) {
            throw new InvalidInputException(source, "", what + ": topic levels separated by '/', none empty,"
                    + " without the wildcards + and #", "'" + topic + "'");
        }
    }
}
