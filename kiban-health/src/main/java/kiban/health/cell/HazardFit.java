package kiban.health.cell;

import java.util.List;

/**
 * Fits a {@link HazardModel} to run-to-failure histories by maximum likelihood: each warm running
 * minute is a Bernoulli trial that fails with probability {@code 1 - exp(-h)}. The few parameters
 * are found by full-batch Adam on standardised covariates, which converges in a few hundred steps.
 */
public final class HazardFit {

    /** Full-batch steps: the log-likelihood changes by under 1e-6 a row after about 400 of them on the cell's data. */
    public static final int DEFAULT_STEPS = 600;
    private static final double LEARNING_RATE = 0.05;

    private HazardFit() {}

    /** Fits the model on {@code history} with {@code covariates}. */
    public static HazardModel fit(FailureHistory history, List<Covariate> covariates) {
        return fit(history, covariates, DEFAULT_STEPS);
    }

    public static HazardModel fit(FailureHistory history, List<Covariate> covariates, int steps) {
        if (history.failures() == 0 || history.size() == history.failures()) {
            throw new IllegalArgumentException("need both failures and survivals to fit a hazard, got " + history.failures()
                    + " failures in " + history.size() + " running minutes");
        }
        int n = history.size();
        int k = covariates.size();
        double[][] x = new double[n][k];
        boolean[] y = new boolean[n];
        double[] mean = new double[k];
        double[] scale = new double[k];
        for (int i = 0; i < n; i++) {
            FailureHistory.Row row = history.rows().get(i);
            y[i] = row.failed();
            for (int j = 0; j < k; j++) {
                x[i][j] = covariates.get(j).of(row.features());
                mean[j] += x[i][j] / n;
            }
        }
        for (double[] xi : x) {
            for (int j = 0; j < k; j++) {
                scale[j] += (xi[j] - mean[j]) * (xi[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < k; j++) {
            scale[j] = Math.sqrt(scale[j]) > 1e-12 ? Math.sqrt(scale[j]) : 1;
            for (double[] xi : x) {
                xi[j] = (xi[j] - mean[j]) / scale[j];
            }
        }
        // parameters: [log background, intercept, coefficients...], started with the rate split evenly
        double[] theta = new double[k + 2];
        double rate = (double) history.failures() / n;
        theta[0] = Math.log(rate / 2);
        theta[1] = Math.log(rate / 2);
        Adam adam = new Adam(theta.length);
        for (int s = 0; s < steps; s++) {
            double[] grad = new double[theta.length];
            double background = Math.exp(theta[0]);
            for (int i = 0; i < n; i++) {
                double eta = theta[1];
                for (int j = 0; j < k; j++) {
                    eta += theta[j + 2] * x[i][j];
                }
                double wear = Math.exp(eta);
                double h = background + wear;
                // d/dh of y log(1 - e^-h) - (1 - y) h
                double dh = y[i] ? 1 / Math.expm1(h) : -1;
                grad[0] += dh * background;
                grad[1] += dh * wear;
                for (int j = 0; j < k; j++) {
                    grad[j + 2] += dh * wear * x[i][j];
                }
            }
            for (int p = 0; p < grad.length; p++) {
                grad[p] /= n;
            }
            adam.ascend(theta, grad, LEARNING_RATE * (1 - 0.9 * s / steps)); // decays so the last steps settle
        }
        double[] coefficients = new double[k];
        System.arraycopy(theta, 2, coefficients, 0, k);
        HazardModel noDrift = new HazardModel(covariates, mean, scale, theta[0], theta[1], coefficients, 0);
        return new HazardModel(covariates, mean, scale, theta[0], theta[1], coefficients, drift(history, noDrift));
    }

    /**
     * The pooled within-cycle slope of the linear predictor over running minutes: how fast the log
     * wear hazard grows while the machine runs, averaged over every training cycle.
     */
    static double drift(FailureHistory history, HazardModel model) {
        double sxy = 0;
        double sxx = 0;
        List<FailureHistory.Row> rows = history.rows();
        int start = 0;
        while (start < rows.size()) {
            int end = start;
            while (end < rows.size() && rows.get(end).cycle() == rows.get(start).cycle()) {
                end++;
            }
            int m = end - start;
            if (m >= 2) {
                double tMean = (m - 1) / 2.0;
                double eMean = 0;
                for (int i = start; i < end; i++) {
                    eMean += model.linearPredictor(rows.get(i).features()) / m;
                }
                for (int i = start; i < end; i++) {
                    double dt = (i - start) - tMean;
                    sxy += dt * (model.linearPredictor(rows.get(i).features()) - eMean);
                    sxx += dt * dt;
                }
            }
            start = end;
        }
        return sxx > 0 ? Math.max(0, sxy / sxx) : 0;
    }

    /** Mean log-likelihood per running minute of {@code history} under {@code model}: the held-out score. */
    public static double logLikelihood(HazardModel model, FailureHistory history) {
        double sum = 0;
        for (FailureHistory.Row row : history.rows()) {
            double h = model.hazard(row.features());
            sum += row.failed() ? Math.log(-Math.expm1(-h)) : -h;
        }
        return sum / Math.max(1, history.size());
    }

    /** Failures the model expects over {@code history}'s minutes (the sum of per-minute probabilities), for calibration. */
    public static double expectedFailures(HazardModel model, FailureHistory history) {
        double sum = 0;
        for (FailureHistory.Row row : history.rows()) {
            sum += -Math.expm1(-model.hazard(row.features()));
        }
        return sum;
    }

    /** Adam for a handful of parameters, ascending. */
    private static final class Adam {
        private final double[] m;
        private final double[] v;
        private int t;

        Adam(int size) {
            m = new double[size];
            v = new double[size];
        }

        void ascend(double[] theta, double[] grad, double lr) {
            t++;
            for (int p = 0; p < theta.length; p++) {
                m[p] = 0.9 * m[p] + 0.1 * grad[p];
                v[p] = 0.999 * v[p] + 0.001 * grad[p] * grad[p];
                double mHat = m[p] / (1 - Math.pow(0.9, t));
                double vHat = v[p] / (1 - Math.pow(0.999, t));
                theta[p] += lr * mHat / (Math.sqrt(vHat) + 1e-12);
            }
        }
    }
}
