package kiban.health.cmapss;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;

/**
 * Reads C-MAPSS training and test files and the RUL files that go with test files. Rows are
 * checked as read: 26 numbers separated by spaces (trailing spaces allowed, nothing else), a
 * whole positive unit and cycle, finite readings, units in ascending order each starting a new
 * run of rows, cycles increasing by one from 1 within a unit. An error names
 * {@code file:line}, the column and what was found.
 */
public final class CmapssReader {

    private CmapssReader() {}

    /** The engine units of a training or test file, in file order. */
    public static List<EngineUnit> readUnits(Path file) {
        List<EngineUnit> units = new ArrayList<>();
        try (BufferedReader in = open(file)) {
            String line;
            int lineNo = 0;
            UnitBuilder current = null;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    throw new InvalidInputException(file + ":" + lineNo, "", "a row of " + CmapssColumns.COUNT
                            + " space-separated numbers", "an empty line");
                }
                String[] fields = line.strip().split(" +");
                if (fields.length != CmapssColumns.COUNT) {
                    throw new InvalidInputException(file + ":" + lineNo, "", CmapssColumns.COUNT + " columns",
                            fields.length + " columns");
                }
                String where = file + ":" + lineNo;
                int unit = wholeNumber(fields, 0, where);
                int cycle = wholeNumber(fields, 1, where);
                float[] readings = new float[CmapssColumns.READINGS];
                for (int c = 2; c < CmapssColumns.COUNT; c++) {
                    readings[c - 2] = finite(fields, c, where);
                }
                if (current == null || unit != current.unit) {
                    if (current != null && unit < current.unit) {
                        throw new InvalidInputException(where, CmapssColumns.describe(0),
                                "units in ascending order (after unit " + current.unit + ")", String.valueOf(unit));
                    }
                    if (current != null) {
                        units.add(current.build());
                    }
                    current = new UnitBuilder(file.toString(), unit, lineNo);
                    if (cycle != 1) {
                        throw new InvalidInputException(where, CmapssColumns.describe(1),
                                "cycle 1 on the first row of unit " + unit, String.valueOf(cycle));
                    }
                } else if (cycle != current.lastCycle() + 1) {
                    throw new InvalidInputException(where, CmapssColumns.describe(1), "cycle " + (current.lastCycle() + 1)
                            + " (the cycles of unit " + unit + " in order, one per row)", String.valueOf(cycle));
                }
                current.add(cycle, readings);
            }
            if (current == null) {
                throw new InvalidInputException(file.toString(), "", "at least one row", "an empty file");
            }
            units.add(current.build());
        } catch (IOException e) {
            throw new KibanException(file + ": cannot read: " + e.getMessage(), e);
        }
        return units;
    }

    /**
     * The true remaining useful life of each test unit, one whole number a line in unit order; the
     * file must have exactly one line per unit of {@code testUnits} (read from {@code testFile}).
     */
    public static int[] readRul(Path file, Path testFile, List<EngineUnit> testUnits) {
        List<Integer> values = new ArrayList<>();
        try (BufferedReader in = open(file)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String[] fields = line.strip().split(" +");
                if (line.isBlank() || fields.length != 1) {
                    throw new InvalidInputException(file + ":" + lineNo, "", "one whole number (a test unit's true RUL)",
                            line.isBlank() ? "an empty line" : fields.length + " columns");
                }
                int rul;
                try {
                    rul = Integer.parseInt(fields[0]);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(file + ":" + lineNo, "column 1 (RUL)", "a whole number", "'" + fields[0] + "'");
                }
                if (rul < 0) {
                    throw new InvalidInputException(file + ":" + lineNo, "column 1 (RUL)", "a RUL of at least 0",
                            String.valueOf(rul));
                }
                values.add(rul);
            }
        } catch (IOException e) {
            throw new KibanException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (values.size() != testUnits.size()) {
            throw new InvalidInputException(file + ":" + (values.size() + 1), "", "one line per test unit: "
                    + testUnits.size() + " lines, as " + testFile + " has " + testUnits.size() + " units",
                    values.size() + " lines");
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static BufferedReader open(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file.toString(), "", "an existing C-MAPSS file", "no such file");
        }
    }

    private static int wholeNumber(String[] fields, int column, String where) {
        String text = fields[column];
        try {
            int value = Integer.parseInt(text);
            if (value < 1) {
                throw new InvalidInputException(where, CmapssColumns.describe(column), "a whole number of at least 1", text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where, CmapssColumns.describe(column), "a whole number", "'" + text + "'");
        }
    }

    private static float finite(String[] fields, int column, String where) {
        String text = fields[column];
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where, CmapssColumns.describe(column), "a number", "'" + text + "'");
        }
        // Float.parseFloat accepts NaN, Infinity and hex or typed forms ("1f"); a C-MAPSS reading is a plain decimal.
        if (!Float.isFinite(value) || !text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            throw new InvalidInputException(where, CmapssColumns.describe(column), "a finite decimal number", "'" + text + "'");
        }
        return value;
    }

    /** The rows of one unit as they are read. */
    private static final class UnitBuilder {
        final String source;
        final int unit;
        final int firstLine;
        final List<Integer> cycles = new ArrayList<>();
        final List<float[]> rows = new ArrayList<>();

        UnitBuilder(String source, int unit, int firstLine) {
            this.source = source;
            this.unit = unit;
            this.firstLine = firstLine;
        }

        int lastCycle() {
            return cycles.get(cycles.size() - 1);
        }

        void add(int cycle, float[] readings) {
            cycles.add(cycle);
            rows.add(readings);
        }

        EngineUnit build() {
            return new EngineUnit(source, unit, firstLine, cycles.stream().mapToInt(Integer::intValue).toArray(),
                    rows.toArray(float[][]::new));
        }
    }
}
