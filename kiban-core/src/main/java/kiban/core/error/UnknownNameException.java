package kiban.core.error;

import java.util.Collection;
import java.util.List;
import kiban.core.text.Suggest;

/**
 * A name looked up among known ones (an env, an embodiment) that is not one of them. The message
 * offers the closest known name and lists them all; the CLI reports it as a usage error when the
 * name was typed on its command line.
 */
public class UnknownNameException extends KibanException {

    private final String kind;
    private final String name;
    private final List<String> known;

    /** @param kind what was looked up, as a user calls it ("env", "embodiment") */
    public UnknownNameException(String kind, String name, Collection<String> known) {
        super("unknown " + kind + " '" + name + "'" + Suggest.didYouMean(name, known) + "; known " + kind + "s: "
                + String.join(", ", known));
        this.kind = kind;
        this.name = name;
        this.known = List.copyOf(known);
    }

    public String kind() {
        return kind;
    }

    /** The name as it was asked for. */
    public String name() {
        return name;
    }

    public List<String> known() {
        return known;
    }
}
