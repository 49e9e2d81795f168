package kiban.core.embodiment;

import java.util.List;

/**
 * An axis-aligned box over the elements of one state or action feature, such as the tool
 * position of an arm: a workspace the feature must stay inside, or a keep-out zone it must not enter.
 */
public record Zone(String name, String feature, List<Double> min, List<Double> max) {

    public Zone {
        min = List.copyOf(min);
        max = List.copyOf(max);
    }

    /** True when every element of {@code point} lies within the box, edges included. */
    public boolean contains(double[] point) {
        for (int i = 0; i < point.length; i++) {
            if (point[i] < min.get(i) || point[i] > max.get(i)) {
                return false;
            }
        }
        return true;
    }
}
