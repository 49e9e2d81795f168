package kiban.health.cmapss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The 26 columns of a C-MAPSS row: unit, cycle, three operational settings, 21 sensors. */
public final class CmapssColumns {

    /** Columns in a row. */
    public static final int COUNT = 26;
    /** Readings per cycle: the three settings, then the 21 sensors. */
    public static final int READINGS = 24;
    /** Settings among the readings (the first three). */
    public static final int SETTINGS = 3;

    private static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>(List.of("unit", "cycle", "setting1", "setting2", "setting3"));
        for (int s = 1; s <= 21; s++) {
            names.add("s" + s);
        }
        NAMES = Collections.unmodifiableList(names);
    }

    private CmapssColumns() {}

    /** All 26 column names in file order. */
    public static List<String> names() {
        return NAMES;
    }

    /** The name of reading {@code i} (0-based among the 24 readings: setting1..3, s1..s21). */
    public static String reading(int i) {
        return NAMES.get(i + 2);
    }

    /** "column N (name)", 1-based as an editor shows it, for error messages. */
    static String describe(int column) {
        return "column " + (column + 1) + " (" + NAMES.get(column) + ")";
    }
}
