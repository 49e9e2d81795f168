package kiban.core.error;

import java.util.Collection;
import kiban.core.text.Suggest;

/**
 * A name looked up among known ones (an env, an embodiment) that is not one of them. The message
 * offers the closest known name and lists them all; the CLI reports it as a usage error when the
 * name was typed on its command line.
 */
public class UnknownNameException extends KibanException {

    private final String name;

    /** @param kind what was looked up, as a user calls it ("env", "embodiment") */
    public UnknownNameException(String kind, String name, Collection<String> known) {
        super("unknown " + kind + " '" + name + "'" + Suggest.didYouMean(name, known) + "; known " + kind + "s: "
                + String.join(", ", known));
        this.name = name;
    }

    /** The name as it was asked for. */
    public String name() {
        return name;
    }
}
