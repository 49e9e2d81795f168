package kiban.serve;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import kiban.core.error.InvalidInputException;

/**
 * Who may reach a {@link PolicyServer} beyond holding its key: which browser origins
 * ({@code --allow-origin}), which host names besides addresses and {@code localhost}
 * ({@code --allow-host}, checked when the server has no key, against DNS rebinding), whether
 * {@code POST /v1/admin/reload} is on ({@code --allow-reload}) and below which folder it may load
 * ({@code --model-root}; null: the folder holding the served checkpoint), and whether a
 * non-loopback bind may go without TLS ({@code --allow-plaintext}).
 */
public record ServeAccess(List<String> allowOrigins, List<String> allowHosts, boolean allowReload, Path modelRoot,
        boolean allowPlaintext) {

    public ServeAccess {
        allowOrigins = allowOrigins.stream().map(ServeAccess::origin).toList();
        allowHosts = allowHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Nothing beyond the defaults: no browser origin, no extra host name, no reload, TLS off the loopback. */
    public static ServeAccess defaults() {
        return new ServeAccess(List.of(), List.of(), false, null, false);
    }

    public ServeAccess withAllowOrigins(List<String> origins) {
        return new ServeAccess(origins, allowHosts, allowReload, modelRoot, allowPlaintext);
    }

    public ServeAccess withAllowHosts(List<String> hosts) {
        return new ServeAccess(allowOrigins, hosts, allowReload, modelRoot, allowPlaintext);
    }

    /** Turns reload on, confined to {@code root} (null: the served checkpoint's folder). */
    public ServeAccess withReload(boolean allow, Path root) {
        return new ServeAccess(allowOrigins, allowHosts, allow, root, allowPlaintext);
    }

    public ServeAccess withAllowPlaintext(boolean allow) {
        return new ServeAccess(allowOrigins, allowHosts, allowReload, modelRoot, allow);
    }

    /** An origin as browsers send it: {@code scheme://host[:port]}, lower case, no path. */
    static String origin(String value) {
        URI u;
        try {
            u = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--allow-origin", "", "an origin such as https://dashboard.example:8443", "'" + value + "'");
        }
        if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
                || u.getQuery() != null) {
            throw new InvalidInputException("--allow-origin", "", "an origin such as https://dashboard.example:8443 (scheme, host "
                    + "and port, no path)", "'" + value + "'");
        }
        return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
                + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
}
