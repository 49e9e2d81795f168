package kiban.health.rul;

/**
 * The figures of a RUL evaluation over the test units: RMSE in cycles and the PHM08 score. With
 * {@code d = predicted - true}, a unit's score is {@code exp(-d/13) - 1} when it is predicted early
 * ({@code d < 0}) and {@code exp(d/10) - 1} when late: a late prediction, which lets an engine run
 * past its failure, costs more. The score is a sum over units, so it grows with their number.
 */
public record RulMetrics(int units, double rmse, double score, double meanError) {

    /** The PHM08 score of one prediction. */
    public static double score(double predicted, double truth) {
        double d = predicted - truth;
        return d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
    }

    public static RulMetrics of(double[] predicted, double[] truth) {
        if (predicted.length != truth.length || predicted.length == 0) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + truth.length + " true values");
        }
        double sq = 0;
        double score = 0;
        double error = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i] - truth[i];
            sq += d * d;
            error += d;
            score += score(predicted[i], truth[i]);
        }
        return new RulMetrics(predicted.length, Math.sqrt(sq / predicted.length), score, error / predicted.length);
    }
}
