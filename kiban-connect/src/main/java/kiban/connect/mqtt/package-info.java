/**
 * MQTT telemetry: {@link kiban.connect.mqtt.MqttTelemetry} publishes the runtime's events as JSON
 * to {@code <prefix>/<topic>} without ever blocking the control loop.
 */
package kiban.connect.mqtt;
