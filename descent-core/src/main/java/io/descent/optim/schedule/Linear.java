package io.descent.optim.schedule;

/**
 * A linear change of the value: PyTorch's {@code LinearLR},
 * {@code base·(start_factor + (end_factor − start_factor)·min(t, T)/T)}, constant after
 * {@code T = total_iters}; {@link #between} is a linear decay (or ramp) from one value to a
 * final value. PyTorch bounds the factors to [0, 1]; here they only need to be ≥ 0, so that a
 * ramp between any two values is expressible.
 */
public final class Linear implements Schedule {
    private final double base, startFactor, endFactor;
    private final long totalIters;

    /** PyTorch's defaults are start_factor 1/3, end_factor 1.0, total_iters 5. */
    public Linear(double base, double startFactor, double endFactor, long totalIters) {
        this.base = Schedule.nonNegative("Linear", "lr", base);
        this.startFactor = Schedule.nonNegative("Linear", "start_factor", startFactor);
        this.endFactor = Schedule.nonNegative("Linear", "end_factor", endFactor);
        this.totalIters = Schedule.atLeast("Linear", "total_iters", totalIters, 1);
    }

    /** From {@code from} at step 0 linearly to {@code to} at step {@code steps}, then constant. */
    public static Linear between(double from, double to, long steps) {
        Schedule.positive("Linear", "initial value", from);
        Schedule.nonNegative("Linear", "final value", to);
        return new Linear(from, 1, to / from, steps);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        return base * (startFactor + (endFactor - startFactor) * Math.min(totalIters, step) / totalIters);
    }
}
