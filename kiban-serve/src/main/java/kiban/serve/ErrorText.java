package kiban.serve;

import java.util.concurrent.CompletionException;
import kiban.core.error.KibanException;

/**
 * Error texts for clients. Kiban's own errors are written for people and go out as they are;
 * anything else (a bug, a native library's failure) goes out as a short sentence, since class
 * names, stack frames and file paths tell an attacker more than they tell a robot. The server's
 * log has the whole failure.
 */
final class ErrorText {

    static final String INTERNAL = "the policy failed with an internal error (the server's log has the details)";

    private ErrorText() {}

    static String of(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof KibanException ? t.getMessage() : INTERNAL;
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
