/**
 * The policy server: openpi's WebSocket protocol on {@code /}, {@code GET /healthz}, an HTTP/JSON
 * API under {@code /v1/}, Prometheus metrics, dynamic batching of many clients into one forward
 * pass, hot reload of a checkpoint, API keys and TLS. See docs/SERVING.md.
 */
package kiban.serve;
