/** A real MQTT broker (Moquette; TLS and logins when asked) and a recording subscriber, for tests of telemetry end to end. */
package kiban.testing.mqtt;
