package kiban.serve;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The health checks, answered before any key or Origin check: {@code GET /healthz} (openpi's,
 * {@code OK} even with upgrade headers; 503 when the worker stopped or the policy keeps failing)
 * and {@code GET /readyz} (503 also while starting, stopping or with the queue full).
 */
final class HealthChecks extends Handler.Wrapper {

    private final PolicyServer server;

    HealthChecks(PolicyServer server, Handler next) {
        super(next);
        this.server = server;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if ("/healthz".equals(path) || "/readyz".equals(path)) {
            String problem = "/healthz".equals(path) ? server.unhealthy() : server.unready();
            String ok = "/healthz".equals(path) ? "OK\n" : "ready\n";
            HttpRoutes.write(response, callback, problem == null ? 200 : 503, "text/plain; charset=utf-8",
                    problem == null ? ok : problem + "\n");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
