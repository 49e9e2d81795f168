package kiban.core.embodiment;

import java.util.Arrays;
import java.util.Optional;

/** The kind of machine an embodiment describes; the wire name is what spec files and JSON use. */
public enum Domain {
    PLANAR_PUSHER("planar_pusher"),
    ROBOT_ARM("robot_arm"),
    VEHICLE("vehicle"),
    FACTORY_EQUIPMENT("factory_equipment");

    private final String wireName;

    Domain(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Domain> fromWireName(String name) {
        return Arrays.stream(values()).filter(d -> d.wireName.equals(name)).findFirst();
    }

    /** The accepted wire names, for error messages. */
    public static String choices() {
        return String.join(", ", Arrays.stream(values()).map(Domain::wireName).toList());
    }
}
