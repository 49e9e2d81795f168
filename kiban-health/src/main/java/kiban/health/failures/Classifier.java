package kiban.health.failures;

/** A fitted classifier; those that hold native memory release it on {@link #close}. */
public interface Classifier extends AutoCloseable {

    /** The predicted class of each row. */
    int[] predict(double[][] x);

    @Override
    default void close() {}
}
