package kiban.core.embodiment;

import java.util.Arrays;
import java.util.Optional;

/** What the runtime commands when it must stop a machine. */
public enum StopMode {
    /** Hold the last safe command (position-controlled machines: stay where you are). */
    HOLD("hold"),
    /** Command zero on every action element (velocity-, speed- or acceleration-controlled machines). */
    ZERO("zero");

    private final String wireName;

    StopMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<StopMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }
}
