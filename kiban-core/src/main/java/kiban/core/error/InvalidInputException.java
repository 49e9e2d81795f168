package kiban.core.error;

/**
 * Input from outside (a file, a message, a command-line value) that does not hold what it must.
 * The message always names where the input came from, the field, what was expected and what was found.
 */
public class InvalidInputException extends KibanException {

    private final String source;
    private final String field;
    private final String expected;
    private final String actual;

    public InvalidInputException(String source, String field, String expected, String actual) {
        super(format(source, field, expected, actual));
        this.source = source;
        this.field = field;
        this.expected = expected;
        this.actual = actual;
    }

    private static String format(String source, String field, String expected, String actual) {
        String where = field == null || field.isEmpty() ? source : source + ": field '" + field + "'";
        return where + ": expected " + expected + (actual == null ? "" : ", got " + actual);
    }

    /** Where the input came from: a file path, a peer address, a command-line option. */
    public String source() {
        return source;
    }

    /** Dotted path of the offending field, such as {@code action[0].high}; empty for the whole input. */
    public String field() {
        return field;
    }

    public String expected() {
        return expected;
    }

    /** What was found instead, or null where nothing was (a missing field). */
    public String actual() {
        return actual;
    }
}
