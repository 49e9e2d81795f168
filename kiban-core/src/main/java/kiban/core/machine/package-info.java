/**
 * The boundary between Kiban's runtime and the equipment it drives: a {@link Machine} (a
 * simulator in-process, or a real machine behind OPC UA) and a {@link Telemetry} sink (MQTT).
 * Kept here, in core, so adapters and the control loop live in separate modules that never see
 * each other.
 */
package kiban.core.machine;
