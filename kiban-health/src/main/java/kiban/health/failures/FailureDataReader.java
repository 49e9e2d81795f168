package kiban.health.failures;

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
 * Reads an {@code lpN.data} file: failures separated by blank lines, each a class label line
 * followed by {@link FailureInstance#SAMPLES} rows of {@link FailureInstance#CHANNELS} integers.
 * Anything else is refused with the file, the line and what was expected; nothing is returned from
 * a file that does not read whole.
 */
public final class FailureDataReader {

    private FailureDataReader() {}

    /** The problem's file in {@code dir}. */
    public static FailureDataset read(Path dir, LearningProblem problem) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir.toString(), "", "a folder holding lp1.data..lp5.data (UCI Robot Execution "
                    + "Failures)", Files.exists(dir) ? "a file" : "no such folder");
        }
        return readFile(dir.resolve(problem.fileName()), problem);
    }

    /** One file, whose labels must be {@code problem}'s. */
    public static FailureDataset readFile(Path file, LearningProblem problem) {
        String text;
        try {
            // Latin-1 decodes every byte, so a stray one is reported as a bad label or value on its line, not as an I/O error.
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file.toString(), "", "the " + problem.id() + " file of UCI Robot Execution Failures ("
                    + problem.description() + ")", "no such file");
        } catch (IOException e) {
            throw new KibanException(file + ": cannot read: " + e.getMessage(), e);
        }
        // A UTF-8 byte-order mark (as some editors write) read as Latin-1.
        if (text.startsWith("\u00EF\u00BB\u00BF")) {
            text = text.substring(3);
        }
        return new Parser(file, problem).parse(text.split("\r?\n|\r", -1));
    }

    /** The state of one pass over a file: the failure being read, if any. */
    private static final class Parser {

        private final Path file;
        private final LearningProblem problem;
        private final List<FailureInstance> instances = new ArrayList<>();
        private int label = -1;
        private int labelLine;
        private final List<int[]> rows = new ArrayList<>();

        Parser(Path file, LearningProblem problem) {
            this.file = file;
            this.problem = problem;
        }

        FailureDataset parse(String[] lines) {
            for (int i = 0; i < lines.length; i++) {
                int lineNo = i + 1;
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    finish();
                    continue;
                }
                String[] tokens = line.split("\\s+");
                boolean labelLike = tokens.length == 1 && !isNumber(tokens[0]);
                if (label < 0 || labelLike) {
                    finish();
                    start(tokens, line, lineNo);
                } else {
                    row(tokens, lineNo);
                }
            }
            finish();
            if (instances.isEmpty()) {
                throw new InvalidInputException(file.toString(), "", "at least one failure (a class label line and "
                        + FailureInstance.SAMPLES + " rows of " + FailureInstance.CHANNELS + " values)", "none");
            }
            return new FailureDataset(problem, file, instances);
        }

        private void start(String[] tokens, String line, int lineNo) {
            if (tokens.length != 1 || isNumber(tokens[0])) {
                throw bad(lineNo, "", "a class label of " + problem.id() + " (" + String.join(", ", problem.labels())
                        + ") to start a failure", "'" + String.join(" ", tokens) + "'");
            }
            int index = problem.labels().indexOf(tokens[0]);
            if (index < 0) {
                throw bad(lineNo, "", "a class label of " + problem.id() + " (" + String.join(", ", problem.labels()) + ")",
                        "'" + tokens[0] + "'");
            }
            label = index;
            labelLine = lineNo;
        }

        private void row(String[] tokens, int lineNo) {
            if (rows.size() == FailureInstance.SAMPLES) {
                throw bad(lineNo, "", "a blank line after the " + FailureInstance.SAMPLES + " rows of the failure labelled on line "
                        + labelLine, "a " + (FailureInstance.SAMPLES + 1) + "th row");
            }
            if (tokens.length != FailureInstance.CHANNELS) {
                throw bad(lineNo, "", FailureInstance.CHANNELS + " integer values (Fx Fy Fz Tx Ty Tz)", tokens.length + " values");
            }
            int[] values = new int[FailureInstance.CHANNELS];
            for (int c = 0; c < values.length; c++) {
                try {
                    values[c] = Integer.parseInt(tokens[c]);
                } catch (NumberFormatException e) {
                    throw bad(lineNo, "column " + (c + 1) + " (" + FailureInstance.CHANNEL_NAMES.get(c) + ")", "an integer",
                            "'" + tokens[c] + "'");
                }
            }
            rows.add(values);
        }

        private void finish() {
            if (label < 0) {
                return;
            }
            if (rows.size() != FailureInstance.SAMPLES) {
                throw bad(labelLine, "", FailureInstance.SAMPLES + " rows of readings after the class label '"
                        + problem.labels().get(label) + "'", rows.size() + " rows");
            }
            instances.add(new FailureInstance(label, rows.toArray(int[][]::new), labelLine));
            rows.clear();
            label = -1;
        }

        private InvalidInputException bad(int lineNo, String field, String expected, String actual) {
            return new InvalidInputException(file + ":" + lineNo, field, expected, actual);
        }

        /** Whether {@code s} reads as a number of any kind, so that a lone value is taken for a short row, not a label. */
        private static boolean isNumber(String s) {
            return s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|(?i)[+-]?(nan|inf|infinity)");
        }
    }
}
