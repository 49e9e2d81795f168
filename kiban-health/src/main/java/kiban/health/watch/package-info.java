/**
 * The online health watch: a machine's readings ({@link kiban.health.watch.ReadingLayout} finds
 * the health model's inputs by feature name) through a cell health model, with estimates, alarms
 * raised and cleared with hysteresis ({@link kiban.health.watch.Hysteresis}) and maintenance
 * requests published through {@code kiban.core.machine.Telemetry}; it reads machines only through
 * {@code kiban.core.machine.Machine}, so OPC UA and MQTT stay in kiban-connect and kiban-cli joins them.
 */
package kiban.health.watch;
