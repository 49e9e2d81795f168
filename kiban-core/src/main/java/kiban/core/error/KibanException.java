package kiban.core.error;

/**
 * A failure whose message is written for the person running Kiban: it says what went wrong and,
 * where it can, what was expected. The CLI prints the message alone, the stack trace only on request.
 */
public class KibanException extends RuntimeException {

    public KibanException(String message) {
        super(message);
    }

    public KibanException(String message, Throwable cause) {
        super(message, cause);
    }
}
