package io.descent.optim.schedule;

/**
 * A hyper-parameter (learning rate, momentum, β1) as a pure function of the optimizer step:
 * {@code at(t)} is the value that optimizer update number {@code t} (counting from 0) uses,
 * exactly what PyTorch's scheduler would have set before that update. Because a schedule
 * holds no mutable state, a checkpoint needs only the step (optax's schedules, nanoGPT's
 * {@code get_lr(it)}); a {@link Scheduler} writes the values into an optimizer's groups.
 *
 * <p>Schedules compose: {@link Warmup} in front of any schedule, {@link Sequential} joins
 * schedules at milestones, {@link #scaled} multiplies. Cosine annealing with a linear warm-up
 * is one line: {@code Warmup.linear(new Cosine(0.1, 900, 0), 100, 0.01)}.
 */
@FunctionalInterface
public interface Schedule {
    /** The value for optimizer update number {@code step} (from 0). */
    double at(long step);

    /** This schedule times {@code factor} (e.g. a multiplier schedule applied to a base value). */
    default Schedule scaled(double factor) {
        if (!Double.isFinite(factor)) throw new IllegalArgumentException("Schedule.scaled: factor must be finite, got " + factor);
        Schedule self = this;
        return step -> factor * self.at(step);
    }

    /** The first {@code n} values, for printing and plotting. */
    default double[] values(int n) {
        if (n < 0) throw new IllegalArgumentException("Schedule.values: n must be >= 0, got " + n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = at(i);
        return v;
    }

    /** Refuses a negative step (every schedule starts at update 0). */
    static void checkStep(long step) {
        if (step < 0) throw new IllegalArgumentException("schedule step must be >= 0, got " + step);
    }

    /** Refuses a value that is negative or not finite, naming the parameter. */
    static double nonNegative(String owner, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(owner + ": " + name + " must be >= 0, got " + v);
        return v;
    }

    /** Refuses a value that is not strictly positive and finite, naming the parameter. */
    static double positive(String owner, String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(owner + ": " + name + " must be > 0, got " + v);
        return v;
    }

    /** Refuses a count below {@code min}, naming the parameter. */
    static long atLeast(String owner, String name, long v, long min) {
        if (v < min) throw new IllegalArgumentException(owner + ": " + name + " must be >= " + min + ", got " + v);
        return v;
    }
}
