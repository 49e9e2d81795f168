package kiban.data.lerobot;

import java.util.Arrays;
import java.util.stream.Collectors;
import kiban.core.error.InvalidInputException;

/** LeRobotDataset codebase versions Kiban reads; it writes {@link #V3_0} only. */
public enum FormatVersion {
    V2_0("v2.0"),
    V2_1("v2.1"),
    V3_0("v3.0");

    private final String text;

    FormatVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Whether the dataset stores one parquet file per episode (v2.x). */
    public boolean perEpisodeFiles() {
        return this != V3_0;
    }

    public static FormatVersion parse(String text, String source) {
        for (FormatVersion v : values()) {
            if (v.text.equals(text)) {
                return v;
            }
        }
        throw new InvalidInputException(source, "codebase_version",
                "one of " + Arrays.stream(values()).map(FormatVersion::text).collect(Collectors.joining(", ")),
                text == null ? "nothing" : "'" + text + "' (unknown version)");
    }
}
