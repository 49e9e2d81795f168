/**
 * Factory-floor connectivity for Kiban's runtime: {@link kiban.core.machine.Machine}s behind OPC UA
 * ({@link kiban.connect.opcua}), a simulated OPC UA machine to try them against, and
 * {@link kiban.core.machine.Telemetry} over MQTT ({@link kiban.connect.mqtt}), and the certificates
 * and keys both read from files ({@link kiban.connect.security}). Depends on core and
 * sim only, never on the runtime or DJL.
 */
package kiban.connect;
