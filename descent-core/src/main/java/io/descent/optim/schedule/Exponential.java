package io.descent.optim.schedule;

/**
 * Exponential decay {@code base·γ^t}: PyTorch's {@code ExponentialLR}. The lecture's form
 * {@code η0·(1 − α/100)^t} (α percent per step) is {@link #percent}.
 */
public final class Exponential implements Schedule {
    private final double base, gamma;

    public Exponential(double base, double gamma) {
        this.base = Schedule.nonNegative("Exponential", "lr", base);
        this.gamma = Schedule.nonNegative("Exponential", "gamma", gamma);
    }

    /** The lecture's {@code η0·(1 − α/100)^t}: decay by {@code alphaPercent} percent per update. */
    public static Exponential percent(double eta0, double alphaPercent) {
        if (!(alphaPercent >= 0 && alphaPercent <= 100)) {
            throw new IllegalArgumentException("Exponential: alpha (percent per step) must be in [0, 100], got " + alphaPercent);
        }
        return new Exponential(eta0, 1 - alphaPercent / 100);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        return base * Math.pow(gamma, step);
    }
}
