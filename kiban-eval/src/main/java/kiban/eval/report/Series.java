package kiban.eval.report;

/** One line of a plot: points {@code (x[i], y[i])}; non-finite y values are gaps. */
public record Series(String name, double[] x, double[] y) {

    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + " has " + x.length + " x and " + y.length + " y values");
        }
    }
}
