package kiban.connect;

import java.net.URI;
import java.net.URISyntaxException;
import kiban.core.error.InvalidInputException;

/**
 * A server URL from outside (an option, a mapping file), checked the same way for every protocol:
 * the expected scheme, a host, no user, query or fragment, and a port in range (the protocol's
 * default when none is given). Errors name the source, what was expected and what arrived.
 *
 * @param uri  the parsed URL, stripped of surrounding blanks
 * @param port the explicit port, or the protocol's default
 */
public record ServerUrl(URI uri, int port) {

    /**
     * Parses {@code text}, which must use {@code scheme}; {@code expected} describes a good URL
     * for messages, {@code schemeNote} says why other schemes are refused.
     */
    public static ServerUrl parse(String text, String source, String scheme, int defaultPort, String expected,
            String schemeNote) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(source, "", expected, "nothing");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException(source, "", expected, "'" + text + "' (" + e.getReason() + ")");
        }
        if (!scheme.equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidInputException(source, "", expected + " (" + schemeNote + ")", "'" + text + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidInputException(source, "", expected + " with a host", "'" + text + "'");
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidInputException(source, "", expected + " without user, query or fragment", "'" + text + "'");
        }
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        if (port == 0 || port > 65535) {
            throw new InvalidInputException(source, "", expected + " with a port in [1, 65535]", "'" + text + "'");
        }
        return new ServerUrl(uri, port);
    }

    public String host() {
        return uri.getHost();
    }

    /**
     * Whether {@code host} names this machine: {@code localhost} or a literal loopback address
     * ({@code 127.x.y.z}, {@code ::1}). Judged without asking DNS, so a name that merely resolves to
     * loopback today is not trusted as one.
     */
    public static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
