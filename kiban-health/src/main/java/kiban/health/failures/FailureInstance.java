package kiban.health.failures;

/**
 * One failure: its class and the 15 force/torque samples taken after it was detected, row by row
 * ({@code Fx Fy Fz Tx Ty Tz} for each sample).
 *
 * @param label the class's index in its problem's {@link LearningProblem#labels()}
 * @param readings {@link #SAMPLES} rows of {@link #CHANNELS} values
 * @param line the line of the data file that holds the class label, for messages
 */
public record FailureInstance(int label, int[][] readings, int line) {

    /** Samples per failure: 15 at regular intervals over 315 ms. */
    public static final int SAMPLES = 15;
    /** Forces Fx Fy Fz and torques Tx Ty Tz. */
    public static final int CHANNELS = 6;
    public static final java.util.List<String> CHANNEL_NAMES = java.util.List.of("Fx", "Fy", "Fz", "Tx", "Ty", "Tz");

    public FailureInstance {
        if (readings.length != SAMPLES) {
            throw new IllegalArgumentException("a failure has " + SAMPLES + " samples, got " + readings.length);
        }
        for (int[] row : readings) {
            if (row.length != CHANNELS) {
                throw new IllegalArgumentException("a sample has " + CHANNELS + " values, got " + row.length);
            }
        }
    }
}
