package io.descent.optim.schedule;

/**
 * Polynomial decay {@code (base − end)·(1 − min(t, T)/T)^power + end}: PyTorch's
 * {@code PolynomialLR} (which has {@code end = 0}); a final value {@code end} as TensorFlow's
 * {@code PolynomialDecay}.
 */
public final class Polynomial implements Schedule {
    private final double base, power, end;
    private final long totalIters;

    /** PyTorch's {@code PolynomialLR(total_iters, power)} (defaults 5 and 1.0). */
    public Polynomial(double base, long totalIters, double power) {
        this(base, totalIters, power, 0);
    }

    public Polynomial(double base, long totalIters, double power, double end) {
        this.base = Schedule.nonNegative("Polynomial", "lr", base);
        this.totalIters = Schedule.atLeast("Polynomial", "total_iters", totalIters, 1);
        this.power = Schedule.nonNegative("Polynomial", "power", power);
        this.end = Schedule.nonNegative("Polynomial", "end value", end);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        double f = Math.pow(1.0 - (double) Math.min(totalIters, step) / totalIters, power);
        return end == 0 ? base * f : (base - end) * f + end;
    }
}
