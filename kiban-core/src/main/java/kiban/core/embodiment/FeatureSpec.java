package kiban.core.embodiment;

import java.util.List;

/**
 * One named state or action feature: a tensor of {@code shape} whose elements lie within
 * {@code low..high} (per element, flattened row-major) and change no faster than {@code maxRate}
 * units per second. An empty {@code maxRate} means the rate is not limited; an empty
 * {@code names} means the elements carry no names of their own.
 */
public record FeatureSpec(
        String name,
        String unit,
        List<Integer> shape,
        List<String> names,
        List<Double> low,
        List<Double> high,
        List<Double> maxRate) {

    public FeatureSpec {
        shape = List.copyOf(shape);
        names = List.copyOf(names);
        low = List.copyOf(low);
        high = List.copyOf(high);
        maxRate = List.copyOf(maxRate);
    }

    /** Number of scalar elements: the product of the shape. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public boolean rateLimited() {
        return !maxRate.isEmpty();
    }

    public double[] lowArray() {
        return toArray(low);
    }

    public double[] highArray() {
        return toArray(high);
    }

    public double[] maxRateArray() {
        return toArray(maxRate);
    }

    static double[] toArray(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
