package kiban.connect.mqtt;

import java.net.URI;
import kiban.connect.ServerUrl;
import kiban.core.error.InvalidInputException;

/**
 * A checked telemetry URL, {@code mqtt://host[:port][/prefix]} or, over TLS,
 * {@code mqtts://host[:port][/prefix]}: the broker (port 1883, or 8883 with TLS, by default) and the
 * topic prefix every event is published under ({@value #DEFAULT_PREFIX} by default). Credentials
 * never go in the URL, which ends up in logs and process lists.
 */
public record MqttUrl(String host, int port, String prefix, boolean tls) {

    public static final int DEFAULT_PORT = 1883;
    public static final int DEFAULT_TLS_PORT = 8883;
    public static final String DEFAULT_PREFIX = "kiban";
    private static final String EXPECTED = "an MQTT URL such as mqtt://host:1883/plant/cell-1 or mqtts://host:8883/plant/cell-1";

    /** A URL without TLS. */
    public MqttUrl(String host, int port, String prefix) {
        this(host, port, prefix, false);
    }

    /** Parses {@code text}; {@code source} names where it came from (an option, a file) in errors. */
    public static MqttUrl parse(String text, String source) {
        boolean tls = text != null && text.strip().regionMatches(true, 0, "mqtts:", 0, 6);
        ServerUrl url = ServerUrl.parse(text, source, tls ? "mqtts" : "mqtt", tls ? DEFAULT_TLS_PORT : DEFAULT_PORT, EXPECTED,
                "schemes mqtt, or mqtts for TLS");
        URI uri = url.uri();
        int port = url.port();
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.replaceAll("^/+|/+$", "");
        if (prefix.isEmpty()) {
            prefix = DEFAULT_PREFIX;
        }
        checkTopic(prefix, source, "the topic prefix");
        return new MqttUrl(uri.getHost(), port, prefix, tls);
    }

    /** The broker address as Paho wants it: {@code tcp://} or, with TLS, {@code ssl://}. */
    public String serverUri() {
        return (tls ? "ssl://" : "tcp://") + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether the broker is this machine, named so (see {@link ServerUrl#loopback(String)}). */
    public boolean loopback() {
        return ServerUrl.loopback(host);
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
