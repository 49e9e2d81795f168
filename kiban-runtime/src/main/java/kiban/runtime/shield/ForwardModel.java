package kiban.runtime.shield;

/**
 * Predicts a state feature from a command, so a zone over that feature can be enforced before
 * the machine moves: an arm's forward kinematics maps joint targets to the tool position.
 */
public interface ForwardModel {

    /** The state feature predicted, as named in the machine's observation features. */
    String feature();

    /** Writes the feature's value once {@code command} is reached into {@code out}. */
    void predict(double[] command, double[] out);
}
