package kiban.health.cell;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A covariate a hazard model can read from the {@link HealthFeatures}, by the name model files use. */
public enum Covariate {
    /** Smoothed RMS vibration, mm/s. */
    VIBRATION("vibration"),
    /**
     * Smoothed RMS vibration to the power 2/3: ISO 10816-style velocity grows faster than linearly
     * with bearing wear, and this power straightens that curve so the log hazard can be linear in it.
     */
    VIBRATION_TWO_THIRDS("vibration^(2/3)"),
    /** Smoothed temperature, degC. */
    TEMPERATURE("temperature"),
    /** Days since the last service: the age term of an age-plus-condition model. */
    AGE_DAYS("age_days");

    private final String key;

    Covariate(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public double of(HealthFeatures f) {
        return switch (this) {
            case VIBRATION -> f.vibration();
            case VIBRATION_TWO_THIRDS -> Math.cbrt(Math.max(0, f.vibration()) * Math.max(0, f.vibration()));
            case TEMPERATURE -> f.temperature();
            case AGE_DAYS -> f.minutesSinceService() / 1440.0;
        };
    }

    /** The covariate named {@code key}; {@code field} names where the name came from, for the error. */
    public static Covariate of(String key, String source, String field) {
        for (Covariate c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new kiban.core.error.InvalidInputException(source, field, "a covariate: "
                + Arrays.stream(values()).map(Covariate::key).collect(Collectors.joining(", ")), "'" + key + "'");
    }

    /** Parses a comma-separated list such as {@code vibration,temperature}. */
    public static List<Covariate> parseList(String text, String source) {
        List<Covariate> out = Arrays.stream(text.split(",")).map(String::trim).map(k -> of(k, source, "")).toList();
        if (out.isEmpty() || out.stream().distinct().count() != out.size()) {
            throw new kiban.core.error.InvalidInputException(source, "", "distinct covariates", "'" + text + "'");
        }
        return out;
    }

    public static String join(List<Covariate> covariates) {
        return covariates.stream().map(Covariate::key).collect(Collectors.joining(","));
    }
}
