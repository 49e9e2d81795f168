package kiban.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import kiban.core.error.InvalidInputException;

/**
 * Passwords from a file or an environment variable, never from the command line (where {@code ps}
 * and shell history show them). A file holds one line; its line ending is not part of the password.
 * Messages name the file or variable, never the value.
 */
final class Secrets {

    /** A password is a line; a file much larger than one is not a password file. */
    static final int MAX_BYTES = 4096;

    private Secrets() {}

    /** Where a password comes from: the options that name a file or a variable. */
    record Source(Path file, String fileOption, String env, String envOption) {

        boolean given() {
            return file != null || env != null;
        }
    }

    /**
     * The password of {@code user} (the value of {@code userOption}) from {@code source}, or null when
     * no user is given. A user needs a password and a password needs a user: either alone is an
     * error naming the option given.
     */
    static char[] passwordOf(String user, String userOption, Source source, Map<String, String> environment,
            java.util.function.Consumer<String> warn) {
        if (user == null) {
            if (source.given()) {
                throw new InvalidInputException(source.file() != null ? source.fileOption() : source.envOption(), "",
                        userOption + " NAME with it", "no " + userOption);
            }
            return null;
        }
        if (user.isBlank()) {
            throw new InvalidInputException(userOption, "", "a user name", "an empty one");
        }
        if (!source.given()) {
            throw new InvalidInputException(userOption, "", "its password from " + source.fileOption() + " FILE or "
                    + source.envOption() + " VAR", "neither");
        }
        return read(source, environment, warn);
    }

    /**
     * The password {@code source} gives, or null when none is given; {@code warn} receives a warning
     * for a file other users may read.
     */
    static char[] read(Source source, Map<String, String> environment, java.util.function.Consumer<String> warn) {
        if (source.file() != null && source.env() != null) {
            throw new InvalidInputException(source.fileOption(), "", "one of " + source.fileOption() + " and " + source.envOption(),
                    "both");
        }
        if (source.file() != null) {
            return fromFile(source.file(), source.fileOption(), warn);
        }
        if (source.env() != null) {
            String value = environment.get(source.env());
            if (value == null || value.isEmpty()) {
                throw new InvalidInputException(source.envOption(), "", "the name of a set, non-empty environment variable",
                        "'" + source.env() + "', which is " + (value == null ? "not set" : "empty"));
            }
            return value.toCharArray();
        }
        return null;
    }

    private static char[] fromFile(Path file, String option, java.util.function.Consumer<String> warn) {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(option, "", "a file holding the password", "'" + file + "', which "
                        + (Files.exists(file) ? "is not a regular file" : "does not exist"));
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(option, "", "a password file of at most " + MAX_BYTES + " bytes",
                        "'" + file + "' of " + Files.size(file) + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
            if (readableByOthers(file)) {
                warn.accept(file + " can be read by other users; chmod 600 it");
            }
        } catch (IOException e) {
            throw new InvalidInputException(option, "", "a readable UTF-8 file holding the password", "'" + file + "' (" + e + ")");
        }
        String line = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (line.isEmpty()) {
            throw new InvalidInputException(option, "", "a password on the first line of " + file, "an empty file");
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new InvalidInputException(option, "", "one line (the password) in " + file, "several lines");
        }
        return line.toCharArray();
    }

    private static boolean readableByOthers(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return false;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
    }
}
