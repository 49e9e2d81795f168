package kiban.health.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureDataReaderTest {

    static Path resource(String name) {
        try {
            return Path.of(FailureDataReaderTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsFailuresSeparatedByBlankLinesWithTabsSpacesAndCrlf() {
        FailureDataset d = FailureDataReader.read(resource("lp4.data").getParent(), LearningProblem.LP4);
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.labels()).containsExactly(0, 1, 2);
        assertThat(d.classCounts()).containsExactly(1, 1, 1);
        assertThat(d.instances()).extracting(FailureInstance::line).containsExactly(1, 18, 36);
        FailureInstance first = d.instances().getFirst();
        assertThat(first.readings()[0]).containsExactly(-1, -2, 63, -3, -1, 0);
        assertThat(first.readings()[1]).containsExactly(-2, -1, 64, -1, -3, -1);
        // The second failure's rows are separated by spaces, the third's lines end in CRLF.
        assertThat(d.instances().get(1).readings()[0]).containsExactly(-22, 13, 118, -42, 6, 1);
        assertThat(d.instances().get(2).readings()[14]).hasSize(6);
    }

    @Test
    void aRowWithTheWrongNumberOfValuesIsNamedByFileAndLine() {
        assertBad("bad-width.data", ":20: expected 6 integer values (Fx Fy Fz Tx Ty Tz), got 5 values");
    }

    @Test
    void aNonIntegerIsNamedByLineAndChannel() {
        assertBad("bad-integer.data", ":4: field 'column 3 (Fz)': expected an integer, got '2.5'");
        assertBad("bad-nan.data", ":5: field 'column 4 (Tx)': expected an integer, got 'NaN'");
    }

    @Test
    void anUnknownLabelListsTheProblemsLabels() {
        assertBad("bad-label.data", ":18: expected a class label of lp4 (normal, collision, obstruction), got 'colision'");
        // lp1's label is not lp4's.
        assertBad("other-problem-label.data", ":36: expected a class label of lp4 (normal, collision, obstruction), got 'fr_collision'");
    }

    @Test
    void aFailureWithFewerOrMoreThanFifteenRowsIsRefused() {
        assertBad("short.data", ":18: expected 15 rows of readings after the class label 'collision', got 14 rows");
        assertBad("long.data", ":17: expected a blank line after the 15 rows of the failure labelled on line 1, got a 16th row");
    }

    @Test
    void readingsBeforeAnyLabelAreRefusedAndAByteOrderMarkIsSkipped(@TempDir Path dir) throws Exception {
        String good = java.nio.file.Files.readString(resource("lp4.data"));
        Path noLabel = dir.resolve("no-label.data");
        java.nio.file.Files.writeString(noLabel, good.substring(good.indexOf('\n') + 1));
        assertThatThrownBy(() -> FailureDataReader.readFile(noLabel, LearningProblem.LP4))
                .hasMessage(noLabel + ":1: expected a class label of lp4 (normal, collision, obstruction) to start a failure, "
                        + "got '-1 -2 63 -3 -1 0'");
        Path bom = dir.resolve("bom.data");
        java.nio.file.Files.writeString(bom, "\uFEFF" + good);
        assertThat(FailureDataReader.readFile(bom, LearningProblem.LP4).size()).isEqualTo(3);
    }

    @Test
    void aFileWithoutFailuresIsRefused() {
        assertBad("empty.data", "empty.data: expected at least one failure");
    }

    @Test
    void aMissingFileOrFolderIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> FailureDataReader.read(dir, LearningProblem.LP2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(dir.resolve("lp2.data") + ": expected the lp2 file of UCI Robot Execution Failures (failures in "
                        + "transfer of a part), got no such file");
        assertThatThrownBy(() -> FailureDataReader.read(dir.resolve("nowhere"), LearningProblem.LP2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(dir.resolve("nowhere") + ": expected a folder holding lp1.data..lp5.data");
    }

    private static void assertBad(String file, String message) {
        Path p = resource(file);
        assertThatThrownBy(() -> FailureDataReader.readFile(p, LearningProblem.LP4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(p.toString())
                .hasMessageContaining(message);
    }
}
