package kiban.data.lerobot;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.data.table.BoolColumn;
import kiban.data.table.Column;
import kiban.data.table.DoubleColumn;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;

/** The frames of the episode being recorded, one growable primitive array per feature. */
final class EpisodeBuffer {

    private final List<Feature> features;
    private final Object[] arrays;
    private int frames;

    EpisodeBuffer(List<Feature> features) {
        this.features = features;
        this.arrays = new Object[features.size()];
        clear();
    }

    int frames() {
        return frames;
    }

    void clear() {
        frames = 0;
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            int n = 64 * f.size();
            arrays[i] = switch (f.dtype()) {
                case "float32" -> new float[n];
                case "float64" -> new double[n];
                case "int64", "int32" -> new long[n];
                case "bool" -> new boolean[n];
                default -> throw new IllegalStateException(f.dtype());
            };
        }
    }

    void add(Map<String, ?> values) {
        for (String k : values.keySet()) {
            if (features.stream().noneMatch(f -> f.name().equals(k)) && !k.equals("timestamp")) {
                throw new InvalidInputException("frame", k, "one of the dataset's features " + features.stream().map(Feature::name).toList(),
                        "an unknown feature");
            }
        }
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            Object v = values.get(f.name());
            if (v == null) {
                throw new InvalidInputException("frame " + frames, f.name(), "a value of " + f.dtype() + f.shape(), null);
            }
            int d = f.size();
            int at = frames * d;
            ensure(i, at + d);
            switch (arrays[i]) {
                case float[] a -> {
                    for (int j = 0; j < d; j++) {
                        a[at + j] = (float) element(v, j, d, f);
                    }
                }
                case double[] a -> {
                    for (int j = 0; j < d; j++) {
                        a[at + j] = element(v, j, d, f);
                    }
                }
                case long[] a -> {
                    for (int j = 0; j < d; j++) {
                        a[at + j] = switch (v) {
                            case long[] l -> l[checked(l.length, d, f) + j];
                            case int[] n -> n[checked(n.length, d, f) + j];
                            default -> (long) element(v, j, d, f);
                        };
                    }
                }
                case boolean[] a -> {
                    for (int j = 0; j < d; j++) {
                        a[at + j] = v instanceof boolean[] b ? b[checked(b.length, d, f) + j]
                                : v instanceof Boolean b && d == 1 ? b : element(v, j, d, f) != 0;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        frames++;
    }

    private static int checked(int length, int d, Feature f) {
        if (length != d) {
            throw new InvalidInputException("frame", f.name(), d + " elements", length + " elements");
        }
        return 0;
    }

    private double element(Object v, int j, int d, Feature f) {
        return switch (v) {
            case float[] a -> a[checked(a.length, d, f) + j];
            case double[] a -> a[checked(a.length, d, f) + j];
            case long[] a -> a[checked(a.length, d, f) + j];
            case int[] a -> a[checked(a.length, d, f) + j];
            case Number n when d == 1 -> n.doubleValue();
            case Boolean b when d == 1 -> b ? 1 : 0;
            default -> throw new InvalidInputException("frame " + frames, f.name(), "a " + f.dtype() + " array of " + d
                    + " elements", v.getClass().getSimpleName());
        };
    }

    private void ensure(int i, int size) {
        Object a = arrays[i];
        int len = java.lang.reflect.Array.getLength(a);
        if (size <= len) {
            return;
        }
        int n = Math.max(size, len * 2);
        arrays[i] = switch (a) {
            case float[] x -> Arrays.copyOf(x, n);
            case double[] x -> Arrays.copyOf(x, n);
            case long[] x -> Arrays.copyOf(x, n);
            case boolean[] x -> Arrays.copyOf(x, n);
            default -> throw new IllegalStateException();
        };
    }

    /** The buffered frames as columns, in feature order. */
    Map<String, Column> columns() {
        Map<String, Column> out = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            int d = f.size();
            int n = frames * d;
            boolean list = f.listStored();
            out.put(f.name(), switch (arrays[i]) {
                case float[] a -> new FloatColumn(Arrays.copyOf(a, n), d, list);
                case double[] a -> new DoubleColumn(Arrays.copyOf(a, n), d, list);
                case long[] a -> new LongColumn(Arrays.copyOf(a, n), d, list);
                case boolean[] a -> new BoolColumn(Arrays.copyOf(a, n), d, list);
                default -> throw new IllegalStateException();
            });
        }
        return out;
    }
}
