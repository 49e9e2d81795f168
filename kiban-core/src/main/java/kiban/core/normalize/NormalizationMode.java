package kiban.core.normalize;

import java.util.Arrays;
import java.util.Optional;
import kiban.core.json.FieldReader;

/** How a feature is scaled before it reaches a model. */
public enum NormalizationMode {
    /** {@code (x - mean) / (std + eps)}. */
    MEAN_STD("mean_std"),
    /** {@code 2 (x - min) / (max - min + eps) - 1}, so the fitted range maps to [-1, 1]. */
    MIN_MAX("min_max"),
    /** As MIN_MAX over the 1st and 99th percentiles: robust to outliers. */
    QUANTILES("q01_q99"),
    /** Values pass unchanged. */
    IDENTITY("identity");

    private final String wireName;

    NormalizationMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<NormalizationMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    /** The mode {@code field} names by its wire name; any other value is refused naming the field and the choices. */
    public static NormalizationMode read(FieldReader field) {
        return fromWireName(field.node().asText())
                .orElseThrow(() -> field.invalid("one of " + choices(), FieldReader.describe(field.node())));
    }

    public static String choices() {
        return String.join(", ", Arrays.stream(values()).map(NormalizationMode::wireName).toList());
    }
}
