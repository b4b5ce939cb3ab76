package io.descent.optim.schedule;

import java.util.Arrays;

/**
 * PyTorch's {@code MultiStepLR}: {@code base·γ^k} where k is the number of milestones ≤ t
 * (a milestone listed twice counts twice, as PyTorch's {@code Counter} does).
 */
public final class MultiStep implements Schedule {
    private final double base, gamma;
    private final long[] milestones;

    /** @param gamma PyTorch's default is 0.1 */
    public MultiStep(double base, long[] milestones, double gamma) {
        this.base = Schedule.nonNegative("MultiStep", "lr", base);
        this.gamma = Schedule.nonNegative("MultiStep", "gamma", gamma);
        if (milestones == null || milestones.length == 0) throw new IllegalArgumentException("MultiStep: milestones must not be empty");
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 0) throw new IllegalArgumentException("MultiStep: milestones must be >= 0, got " + milestones[i]);
            if (i > 0 && milestones[i] < milestones[i - 1]) {
                throw new IllegalArgumentException("MultiStep: milestones must be increasing, got " + Arrays.toString(milestones));
            }
        }
        this.milestones = milestones.clone();
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        int k = 0;
        while (k < milestones.length && milestones[k] <= step) k++;
        return base * Math.pow(gamma, k);
    }
}
