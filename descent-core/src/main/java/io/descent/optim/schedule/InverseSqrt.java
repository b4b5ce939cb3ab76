package io.descent.optim.schedule;

/**
 * Inverse square-root decay with linear warm-up ("Attention Is All You Need", Vaswani et al.
 * 2017; fairseq's {@code inverse_sqrt}), normalised so that the peak is {@code base}: with
 * {@code s = t + 1} and {@code w = warmup} (at least 1),
 * {@code base·min(s/w, √(w/s))}: linear from {@code base/w} up to {@code base} at update
 * {@code w − 1}, then {@code base·√(w/(t+1))}. Without warm-up it is {@code base/√(t+1)}.
 * PyTorch has no such scheduler; its tests are from the formula.
 */
public final class InverseSqrt implements Schedule {
    private final double base;
    private final long warmup;

    public InverseSqrt(double base, long warmup) {
        this.base = Schedule.nonNegative("InverseSqrt", "lr", base);
        this.warmup = Math.max(1, Schedule.atLeast("InverseSqrt", "warmup", warmup, 0));
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        double s = step + 1;
        return s < warmup ? base * s / warmup : base * Math.sqrt(warmup / s);
    }
}
