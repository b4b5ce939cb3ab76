package io.descent.optim.schedule;

/** PyTorch's {@code StepLR}: {@code base·γ^⌊t / step_size⌋}. */
public final class StepDecay implements Schedule {
    private final double base, gamma;
    private final long stepSize;

    /** @param gamma PyTorch's default is 0.1 */
    public StepDecay(double base, long stepSize, double gamma) {
        this.base = Schedule.nonNegative("StepDecay", "lr", base);
        this.stepSize = Schedule.atLeast("StepDecay", "step_size", stepSize, 1);
        this.gamma = Schedule.nonNegative("StepDecay", "gamma", gamma);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        return base * Math.pow(gamma, step / stepSize);
    }
}
