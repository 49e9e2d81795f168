/** A real MQTT broker (Moquette) and a recording subscriber, for tests of telemetry end to end. */
package kiban.testing.mqtt;
