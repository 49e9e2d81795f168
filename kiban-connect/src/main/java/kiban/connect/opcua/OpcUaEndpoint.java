package kiban.connect.opcua;

import java.net.URI;
import java.net.URISyntaxException;
import kiban.core.error.InvalidInputException;

/**
 * A checked OPC UA endpoint URL, {@code opc.tcp://host[:port][/path]}; the port defaults to 4840,
 * the IANA-registered OPC UA port.
 */
public record OpcUaEndpoint(String url, String host, int port) {

    public static final int DEFAULT_PORT = 4840;
    private static final String EXPECTED = "an OPC UA endpoint URL such as opc.tcp://host:4840[/path]";

    /** Parses {@code text}; {@code source} names where it came from (an option, a file) in errors. */
    public static OpcUaEndpoint parse(String text, String source) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(source, "", EXPECTED, "nothing");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException(source, "", EXPECTED, "'" + text + "' (" + e.getReason() + ")");
        }
        if (!"opc.tcp".equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidInputException(source, "", EXPECTED + " (only the opc.tcp transport is supported)",
                    "'" + text + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidInputException(source, "", EXPECTED + " with a host", "'" + text + "'");
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidInputException(source, "", EXPECTED + " without user, query or fragment", "'" + text + "'");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port == 0 || port > 65535) {
            throw new InvalidInputException(source, "", EXPECTED + " with a port in [1, 65535]", "'" + text + "'");
        }
        return new OpcUaEndpoint(text.strip(), uri.getHost(), port);
    }
}
