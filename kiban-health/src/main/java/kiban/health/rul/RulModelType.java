package kiban.health.rul;

import java.util.Arrays;
import java.util.Locale;
import kiban.core.error.InvalidInputException;

/** The networks {@code kiban rul train --model} offers. */
public enum RulModelType {
    /** 1-D convolutions over the cycles of the window, all sensors as channels (Babu et al. 2016). */
    CNN,
    /** Li et al. 2018's DCNN: convolutions along each sensor's cycles, features mixed only at the end. */
    DCNN,
    /** A two-layer LSTM over the window, read at its last cycle (Zheng et al. 2017). */
    LSTM,
    /** A small pre-norm transformer encoder over the cycles, pooled over time. */
    TRANSFORMER,
    /** One linear map from the whole window to the RUL: the baseline the networks must beat. */
    LINEAR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RulModelType parse(String text, String source) {
        for (RulModelType t : values()) {
            if (t.id().equals(text)) {
                return t;
            }
        }
        throw new InvalidInputException(source, "model", "one of " + Arrays.stream(values()).map(RulModelType::id).toList(),
                "'" + text + "'");
    }
}
