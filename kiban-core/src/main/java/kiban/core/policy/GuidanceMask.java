package kiban.core.policy;

/**
 * Which rows of the previous chunk guide a continued one in real-time chunking
 * ({@link ChunkExecutor.Mode#RTC}), by name on the command line ({@code --rtc-mask}).
 */
public enum GuidanceMask {
    /** Only the rows that execute during the inference delay (frozen); the rest is sampled freely. */
    HARD("hard"),
    /**
     * The frozen rows, and the previous chunk's rows after them with weights that fall
     * exponentially to nothing at its end (Black, Galliker and Levine 2025's soft mask), so the
     * new chunk leaves the old plan gradually.
     */
    SOFT("soft");

    private final String wireName;

    GuidanceMask(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static GuidanceMask parse(String name) {
        for (GuidanceMask m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        throw new kiban.core.error.InvalidInputException("--rtc-mask", "", "hard or soft", "'" + name + "'");
    }
}
