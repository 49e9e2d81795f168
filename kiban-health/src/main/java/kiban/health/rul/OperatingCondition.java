package kiban.health.rul;

/**
 * An operating condition of a C-MAPSS engine, read from its three settings. The six conditions of
 * the multi-condition subsets sit at settings such as (42, 0.84, 100) with noise in the fourth
 * decimal; setting 1 rounded to a whole number, setting 2 to two decimals and setting 3 to a whole
 * number tell them apart, and put every row of FD001 and FD003 in one condition.
 */
public record OperatingCondition(int setting1, int setting2Hundredths, int setting3) {

    public static OperatingCondition of(float[] readings) {
        return new OperatingCondition(Math.round(readings[0]), Math.round(readings[1] * 100), Math.round(readings[2]));
    }

    @Override
    public String toString() {
        return "(" + setting1 + ", " + setting2Hundredths / 100.0 + ", " + setting3 + ")";
    }
}
