package io.descent.optim.schedule;

/**
 * Cosine annealing (Loshchilov and Hutter, "SGDR", ICLR 2017) without restarts: PyTorch's
 * {@code CosineAnnealingLR},
 * {@code η_min + (base − η_min)·(1 + cos(π·t/T_max))/2}.
 *
 * <p>As in PyTorch, the curve is periodic: after {@code T_max} it rises again towards
 * {@code base} (PyTorch's recursive form and its closed form agree on this). To hold η_min
 * after {@code T_max}, join a {@link Constant} with {@link Sequential}; for restarts use
 * {@link CosineWarmRestarts}.
 */
public final class Cosine implements Schedule {
    private final double base, etaMin;
    private final long tMax;

    public Cosine(double base, long tMax, double etaMin) {
        this.base = Schedule.nonNegative("Cosine", "lr", base);
        this.tMax = Schedule.atLeast("Cosine", "T_max", tMax, 1);
        this.etaMin = Schedule.nonNegative("Cosine", "eta_min", etaMin);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
    }
}
