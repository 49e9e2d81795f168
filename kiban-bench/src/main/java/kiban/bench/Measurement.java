package kiban.bench;

/** One benchmark figure: what was measured, under which setting, and the rate. */
public record Measurement(String subject, String setting, double value, String unit, long operations, double seconds) {}
