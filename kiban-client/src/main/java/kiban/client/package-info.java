/**
 * The light policy client: openpi's wire protocol (msgpack-numpy maps over one WebSocket),
 * {@link kiban.client.PolicyClient} and {@link kiban.client.RemotePolicy}. No ML dependencies, so
 * the deployment runtime can use it on a small machine.
 */
package kiban.client;
