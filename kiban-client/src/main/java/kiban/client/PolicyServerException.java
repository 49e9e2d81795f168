package kiban.client;

import kiban.core.error.KibanException;

/** The policy server reported an error (its text frame, as openpi sends it) or the connection failed. */
public final class PolicyServerException extends KibanException {

    public PolicyServerException(String message) {
        super(message);
    }

    public PolicyServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
