package kiban.policy.train;

/** Linear warm-up to the peak learning rate, then cosine decay to {@code minFraction} of it. */
public record Schedule(double peak, long warmupSteps, long totalSteps, double minFraction) {

    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps));
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peak * (minFraction + (1 - minFraction) * cosine);
    }
}
