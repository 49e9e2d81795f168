/**
 * MQTT telemetry: {@link kiban.connect.mqtt.MqttTelemetry} publishes the runtime's events as JSON
 * to {@code <prefix>/<topic>} without ever blocking the control loop, over TLS ({@code mqtts://})
 * and with a login where {@link kiban.connect.mqtt.MqttSecurity} says so.
 */
package kiban.connect.mqtt;
