package kiban.health.failures;

/** A way to learn a failure classifier from standardised features. */
public interface Learner {

    /** The name results carry, such as {@code mlp} or {@code 3-nn}. */
    String name();

    /**
     * A classifier fitted on rows {@code x} with classes {@code y} in {@code [0, classes)};
     * {@code seed} fixes whatever is random in the fitting.
     */
    Classifier fit(double[][] x, int[] y, int classes, long seed);
}
