package io.descent.optim.schedule;

/**
 * A warm-up in front of any schedule (Goyal et al., "Accurate, Large Minibatch SGD", 2017):
 * for the first {@code N} updates the value ramps from {@code start_factor·v0} towards
 * {@code v0 = main.at(0)}, then {@code main} runs from its own step 0 ({@code at(t) =
 * main.at(t − N)} for {@code t ≥ N}).
 *
 * <p>The linear ramp {@code v0·(f + (1 − f)·t/N)} is exactly PyTorch's
 * {@code SequentialLR([LinearLR(start_factor=f, total_iters=N), main], milestones=[N])}; the
 * exponential ramp {@code v0·f^(1 − t/N)} rises geometrically (evenly in log scale) instead.
 */
public final class Warmup implements Schedule {
    /** The shape of the ramp. */
    public enum Ramp {
        LINEAR, EXPONENTIAL;

        /** Parses {@code linear} or {@code exponential}. */
        public static Ramp parse(String s) {
            for (Ramp r : values()) if (r.name().equalsIgnoreCase(s)) return r;
            throw new IllegalArgumentException("Warmup: mode must be linear or exponential, got '" + s + "'");
        }
    }

    private final Schedule main;
    private final long steps;
    private final double startFactor;
    private final Ramp ramp;

    public Warmup(Schedule main, long steps, double startFactor, Ramp ramp) {
        if (main == null) throw new IllegalArgumentException("Warmup: schedule must not be null");
        if (ramp == null) throw new IllegalArgumentException("Warmup: mode must not be null");
        this.main = main;
        this.steps = Schedule.atLeast("Warmup", "warmup steps", steps, 0);
        this.ramp = ramp;
        if (ramp == Ramp.EXPONENTIAL) Schedule.positive("Warmup", "start_factor", startFactor);
        if (!(startFactor >= 0 && startFactor <= 1)) throw new IllegalArgumentException("Warmup: start_factor must be in [0, 1], got " + startFactor);
        this.startFactor = startFactor;
    }

    /** Linear warm-up over {@code steps} updates from {@code startFactor·main.at(0)}. */
    public static Warmup linear(Schedule main, long steps, double startFactor) {
        return new Warmup(main, steps, startFactor, Ramp.LINEAR);
    }

    /** Exponential (geometric) warm-up over {@code steps} updates from {@code startFactor·main.at(0)}. */
    public static Warmup exponential(Schedule main, long steps, double startFactor) {
        return new Warmup(main, steps, startFactor, Ramp.EXPONENTIAL);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        if (step >= steps) return main.at(step - steps);
        double v0 = main.at(0);
        return switch (ramp) {
            case LINEAR -> v0 * (startFactor + (1 - startFactor) * step / steps);
            case EXPONENTIAL -> v0 * Math.pow(startFactor, 1 - (double) step / steps);
        };
    }
}
