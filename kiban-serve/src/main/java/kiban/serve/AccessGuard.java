package kiban.serve;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What every request but the health checks passes before a WebSocket upgrade or an HTTP route:
 * an address that keeps failing the key is held off (429); without a key, the Host must name this
 * server, so a web page whose DNS name was rebound to 127.0.0.1 cannot reach it (403); a browser's
 * {@code Origin} must be one that {@code --allow-origin} lists (403), since no web page may drive a
 * robot by default; and the key, when the server has one (401). Allowed origins get the CORS
 * headers a browser needs.
 */
final class AccessGuard extends Handler.Wrapper {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final PolicyServer server;
    private final ApiKey apiKey;
    private final AuthLimiter limiter;
    private final List<String> origins;
    private final List<String> hosts;

    AccessGuard(PolicyServer server, Handler next) {
        super(next);
        this.server = server;
        ServeConfig c = server.config();
        this.apiKey = c.apiKey() == null ? null : new ApiKey(c.apiKey());
        this.limiter = new AuthLimiter(c.limits().maxAuthFailures());
        this.origins = c.access().allowOrigins();
        this.hosts = c.access().allowHosts();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String address = Request.getRemoteAddr(request);
        long wait = apiKey == null ? 0 : limiter.blockedSeconds(address);
        if (wait > 0) {
            server.metrics().error("rate_limited");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(wait));
            return refuse(response, callback, 429, "too many wrong API keys from " + address + "; retry in " + wait + " s");
        }
        String host = hostName(request.getHeaders().get(HttpHeader.HOST));
        if (apiKey == null && host != null && !isServerName(host)) {
            server.metrics().error("host");
            return refuse(response, callback, 403, "Host '" + host + "' is not a name of this server (a web page's DNS name "
                    + "pointed here?); use an address or localhost, or allow the name with --allow-host");
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null) {
            String o = origin.strip().toLowerCase(Locale.ROOT);
            if (!origins.contains(o)) {
                server.metrics().error("origin");
                return refuse(response, callback, 403, "requests from web pages are refused (Origin '" + origin + "'); "
                        + "--allow-origin ORIGIN allows a page you trust");
            }
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, o);
            response.getHeaders().put(HttpHeader.VARY, "Origin");
            if ("OPTIONS".equals(request.getMethod())) {
                // A CORS preflight: the browser asks before sending the key or a JSON body.
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
                response.setStatus(204);
                callback.succeeded();
                return true;
            }
        }
        if (apiKey != null && !apiKey.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            limiter.failed(address);
            server.metrics().error("auth");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Api-Key");
            return refuse(response, callback, 401, "missing or wrong API key (send 'Authorization: Api-Key <key>')");
        }
        return super.handle(request, response, callback);
    }

    private static boolean refuse(Response response, Callback callback, int status, String message) {
        HttpRoutes.write(response, callback, status, HttpRoutes.JSON, HttpRoutes.error(message));
        return true;
    }

    /** The host name of a Host header, without its port and brackets; null when there is none. */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** Addresses cannot be rebound, localhost is the machine itself; other names must be the bound one or allowed. */
    private boolean isServerName(String host) {
        return IPV4.matcher(host).matches() || host.startsWith("[") || host.equals("localhost") || host.endsWith(".localhost")
                || host.equalsIgnoreCase(server.config().host()) || hosts.contains(host);
    }
}
