package io.descent.optim.schedule;

/**
 * A constant value, or PyTorch's {@code ConstantLR}: {@code base·factor} for the first
 * {@code total_iters} updates, then {@code base}.
 */
public final class Constant implements Schedule {
    private final double base, factor;
    private final long totalIters;

    /** The same value at every step. */
    public Constant(double value) {
        this(value, 1, 0);
    }

    /** PyTorch's {@code ConstantLR(factor, total_iters)} over a base value; factor in [0, 1] as PyTorch. */
    public Constant(double base, double factor, long totalIters) {
        if (!Double.isFinite(base)) throw new IllegalArgumentException("Constant: value must be finite, got " + base);
        if (!(factor >= 0 && factor <= 1)) throw new IllegalArgumentException("Constant: factor must be in [0, 1], got " + factor);
        this.base = base;
        this.factor = factor;
        this.totalIters = Schedule.atLeast("Constant", "total_iters", totalIters, 0);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        return step < totalIters ? base * factor : base;
    }
}
