package kiban.health.cell;

import java.util.List;

/**
 * A proportional-hazards model of the cell's failures (Cox; for condition monitoring, Jardine,
 * Banjevic and Makis): the hazard per running minute is a constant background (failures wear
 * does not explain) plus a wear term that is log-linear in the standardised covariates,
 * {@code h = exp(logBackground) + exp(intercept + sum coefficients[j] * (x[j] - mean[j]) / scale[j])}.
 * Looking ahead, the log of the wear term grows by {@code driftPerMinute} a running minute, the
 * rate fitted across the training cycles; that turns the hazard into a failure probability over a
 * horizon and a median remaining useful life.
 */
public record HazardModel(List<Covariate> covariates, double[] mean, double[] scale, double logBackground,
        double intercept, double[] coefficients, double driftPerMinute) {

    /** Remaining-life estimates stop at ten days of running: beyond that they carry no decision. */
    public static final double RUL_CAP_MINUTES = 10 * 1440;

    public HazardModel {
        covariates = List.copyOf(covariates);
        int n = covariates.size();
        if (mean.length != n || scale.length != n || coefficients.length != n) {
            throw new IllegalArgumentException("need one mean, scale and coefficient per covariate (" + n + ")");
        }
        for (int j = 0; j < n; j++) {
            if (!(scale[j] > 0) || !Double.isFinite(mean[j]) || !Double.isFinite(coefficients[j])) {
                throw new IllegalArgumentException("covariate " + covariates.get(j).key() + ": need a finite mean and coefficient "
                        + "and a positive scale, got " + mean[j] + ", " + coefficients[j] + ", " + scale[j]);
            }
        }
        if (!Double.isFinite(logBackground) || !Double.isFinite(intercept) || !Double.isFinite(driftPerMinute)) {
            throw new IllegalArgumentException("background, intercept and drift must be finite");
        }
        mean = mean.clone();
        scale = scale.clone();
        coefficients = coefficients.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** The log of the wear term at these features. */
    public double linearPredictor(HealthFeatures f) {
        double eta = intercept;
        for (int j = 0; j < coefficients.length; j++) {
            eta += coefficients[j] * (covariates.get(j).of(f) - mean[j]) / scale[j];
        }
        return eta;
    }

    /** Failure hazard per running minute at these features. */
    public double hazard(HealthFeatures f) {
        return Math.exp(logBackground) + Math.exp(linearPredictor(f));
    }

    /** The estimate at these features, looking {@code horizonMinutes} of running ahead. */
    public HealthEstimate estimate(HealthFeatures f, double horizonMinutes) {
        double wear = Math.exp(linearPredictor(f));
        double background = Math.exp(logBackground);
        double probability = -Math.expm1(-cumulative(background, wear, horizonMinutes));
        return new HealthEstimate(background + wear, wear, horizonMinutes, probability, medianLife(background, wear));
    }

    private double cumulative(double background, double wear, double minutes) {
        double growth = driftPerMinute > 1e-12 ? Math.expm1(driftPerMinute * minutes) / driftPerMinute : minutes;
        return background * minutes + wear * growth;
    }

    /** Running minutes until the cumulative hazard reaches ln 2, by bisection (it grows monotonically). */
    private double medianLife(double background, double wear) {
        double target = Math.log(2);
        if (cumulative(background, wear, RUL_CAP_MINUTES) < target) {
            return RUL_CAP_MINUTES;
        }
        double lo = 0;
        double hi = RUL_CAP_MINUTES;
        for (int i = 0; i < 60 && hi - lo > 0.01; i++) {
            double mid = (lo + hi) / 2;
            if (cumulative(background, wear, mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
