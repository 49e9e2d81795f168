/**
 * The policy server, of one policy or of every embodiment of a foundation run with each request
 * naming its own ({@link kiban.serve.ServedPolicies}): openpi's WebSocket protocol on {@code /} (with each connection's observation
 * history for clients that send one observation at a time), {@code GET /healthz} and
 * {@code GET /readyz}, an HTTP/JSON API under {@code /v1/}, Prometheus metrics, dynamic batching
 * of many clients into one forward pass, hot reload of a checkpoint, API keys and TLS, and the
 * checks and limits that keep hostile clients and web pages from harming it or its other clients
 * ({@link kiban.serve.ServeLimits}, {@link kiban.serve.ServeAccess}). See docs/SERVING.md.
 */
package kiban.serve;
