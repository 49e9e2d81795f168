package kiban.cli;

import kiban.core.error.KibanException;

/** Ends a command with a given exit code after its message has been reported. */
final class ExitException extends KibanException {

    private final int code;

    ExitException(String message, int code) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }
}
