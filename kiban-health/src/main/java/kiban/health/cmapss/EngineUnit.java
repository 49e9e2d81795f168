package kiban.health.cmapss;

/**
 * One engine's rows in a C-MAPSS file: its unit number, its cycles in order, and per cycle the 24
 * readings (three settings, then sensors s1 to s21). {@code firstLine} is the file line of its
 * first row, so that later checks can still point at the file.
 */
public record EngineUnit(String source, int unit, int firstLine, int[] cycles, float[][] readings) {

    public EngineUnit {
        if (cycles.length != readings.length || cycles.length == 0) {
            throw new IllegalArgumentException("unit " + unit + ": " + cycles.length + " cycles and " + readings.length
                    + " rows of readings");
        }
    }

    public int length() {
        return cycles.length;
    }

    public int lastCycle() {
        return cycles[cycles.length - 1];
    }
}
