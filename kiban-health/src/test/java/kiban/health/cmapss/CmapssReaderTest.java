package kiban.health.cmapss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on hand-made rows: what it reads, and where each kind of bad input is reported. */
class CmapssReaderTest {

    /** A row of unit {@code unit}, cycle {@code cycle}, settings 0 0 100, and sensors 1.5 + sensor number + cycle. */
    static String row(int unit, int cycle) {
        StringBuilder b = new StringBuilder(unit + " " + cycle + " 0.0001 -0.0002 100.0");
        for (int s = 1; s <= 21; s++) {
            b.append(' ').append(1.5 + s + cycle);
        }
        return b.append("  ").toString(); // trailing spaces, as NASA's files have
    }

    static Path file(Path dir, String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void readsUnitsCyclesAndReadingsWithTrailingSpaces(@TempDir Path dir) throws Exception {
        Path f = file(dir, "train.txt", row(1, 1), row(1, 2), row(1, 3), row(2, 1), row(2, 2));
        List<EngineUnit> units = CmapssReader.readUnits(f);
        assertThat(units).hasSize(2);
        assertThat(units.get(0).unit()).isEqualTo(1);
        assertThat(units.get(0).cycles()).containsExactly(1, 2, 3);
        assertThat(units.get(0).firstLine()).isEqualTo(1);
        assertThat(units.get(1).firstLine()).isEqualTo(4);
        assertThat(units.get(1).lastCycle()).isEqualTo(2);
        // reading 3 is s1: 1.5 + 1 + cycle 2
        assertThat(units.get(0).readings()[1][3]).isEqualTo(4.5f);
        assertThat(units.get(0).readings()[1][2]).isEqualTo(100f);
        assertThat(units.get(0).readings()[1][23]).isEqualTo(1.5f + 21 + 2);
    }

    @Test
    void aMalformedNumberNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = file(dir, "t.txt", row(1, 1), row(1, 2).replace(" 5.5 ", " 5.x5 "));
        assertThatThrownBy(() -> CmapssReader.readUnits(f)).isInstanceOf(InvalidInputException.class)
                .hasMessage(f + ":2: field 'column 7 (s2)': expected a number, got '5.x5'");
    }

    @Test
    void nanAndInfinityAreRefused(@TempDir Path dir) throws Exception {
        Path nan = file(dir, "nan.txt", row(1, 1).replace(" 100.0 ", " NaN "));
        assertThatThrownBy(() -> CmapssReader.readUnits(nan))
                .hasMessage(nan + ":1: field 'column 5 (setting3)': expected a finite decimal number, got 'NaN'");
        Path inf = file(dir, "inf.txt", row(1, 1), row(1, 2), row(1, 3).replace(" 25.5", " Infinity"));
        assertThatThrownBy(() -> CmapssReader.readUnits(inf))
                .hasMessage(inf + ":3: field 'column 26 (s21)': expected a finite decimal number, got 'Infinity'");
    }

    @Test
    void aWrongColumnCountNamesTheLine(@TempDir Path dir) throws Exception {
        Path f = file(dir, "t.txt", row(1, 1), row(1, 2), row(1, 3).substring(0, row(1, 3).strip().lastIndexOf(' ')));
        assertThatThrownBy(() -> CmapssReader.readUnits(f)).hasMessage(f + ":3: expected 26 columns, got 25 columns");
        Path blank = file(dir, "b.txt", row(1, 1), "   ", row(1, 2));
        assertThatThrownBy(() -> CmapssReader.readUnits(blank))
                .hasMessage(blank + ":2: expected a row of 26 space-separated numbers, got an empty line");
    }

    @Test
    void cyclesOutOfOrderAndUnitsOutOfOrderAreRefused(@TempDir Path dir) throws Exception {
        Path skip = file(dir, "skip.txt", row(1, 1), row(1, 2), row(1, 4));
        assertThatThrownBy(() -> CmapssReader.readUnits(skip)).hasMessage(skip
                + ":3: field 'column 2 (cycle)': expected cycle 3 (the cycles of unit 1 in order, one per row), got 4");
        Path late = file(dir, "late.txt", row(1, 1), row(2, 2));
        assertThatThrownBy(() -> CmapssReader.readUnits(late))
                .hasMessage(late + ":2: field 'column 2 (cycle)': expected cycle 1 on the first row of unit 2, got 2");
        Path back = file(dir, "back.txt", row(2, 1), row(1, 1));
        assertThatThrownBy(() -> CmapssReader.readUnits(back))
                .hasMessage(back + ":2: field 'column 1 (unit)': expected units in ascending order (after unit 2), got 1");
        Path fraction = file(dir, "fraction.txt", row(1, 1).replaceFirst("^1 1 ", "1 1.5 "));
        assertThatThrownBy(() -> CmapssReader.readUnits(fraction))
                .hasMessage(fraction + ":1: field 'column 2 (cycle)': expected a whole number, got '1.5'");
    }

    @Test
    void aMissingOrEmptyFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("train_FD009.txt");
        assertThatThrownBy(() -> CmapssReader.readUnits(missing))
                .hasMessage(missing + ": expected an existing C-MAPSS file, got no such file");
        Path empty = file(dir, "empty.txt");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> CmapssReader.readUnits(empty)).hasMessage(empty + ": expected at least one row, got an empty file");
    }

    @Test
    void theRulFileNeedsOneWholeNumberPerTestUnit(@TempDir Path dir) throws Exception {
        Path test = file(dir, "test.txt", row(1, 1), row(2, 1), row(3, 1));
        List<EngineUnit> units = CmapssReader.readUnits(test);
        assertThat(CmapssReader.readRul(file(dir, "ok.txt", "112", "98 ", "69"), test, units)).containsExactly(112, 98, 69);
        Path shorter = file(dir, "short.txt", "112", "98");
        assertThatThrownBy(() -> CmapssReader.readRul(shorter, test, units)).hasMessage(shorter
                + ":3: expected one line per test unit: 3 lines, as " + test + " has 3 units, got 2 lines");
        Path longer = file(dir, "long.txt", "1", "2", "3", "4");
        assertThatThrownBy(() -> CmapssReader.readRul(longer, test, units)).hasMessageContaining(":5: expected one line per test unit");
        Path bad = file(dir, "bad.txt", "112", "9x8", "3");
        assertThatThrownBy(() -> CmapssReader.readRul(bad, test, units))
                .hasMessage(bad + ":2: field 'column 1 (RUL)': expected a whole number, got '9x8'");
        Path negative = file(dir, "neg.txt", "112", "-1", "3");
        assertThatThrownBy(() -> CmapssReader.readRul(negative, test, units))
                .hasMessage(negative + ":2: field 'column 1 (RUL)': expected a RUL of at least 0, got -1");
        Path missing = dir.resolve("RUL_none.txt");
        assertThatThrownBy(() -> CmapssReader.readRul(missing, test, units)).hasMessageContaining("no such file");
    }
}
