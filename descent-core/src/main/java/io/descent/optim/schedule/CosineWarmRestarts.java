package io.descent.optim.schedule;

/**
 * Cosine annealing with warm restarts (Loshchilov and Hutter, "SGDR: Stochastic Gradient
 * Descent with Warm Restarts", ICLR 2017): PyTorch's {@code CosineAnnealingWarmRestarts},
 * {@code η_min + (base − η_min)·(1 + cos(π·T_cur/T_i))/2}, where the i-th period lasts
 * {@code T_i = T_0·T_mult^i} updates and {@code T_cur} counts updates since the last restart.
 */
public final class CosineWarmRestarts implements Schedule {
    private final double base, etaMin;
    private final long t0, tMult;

    public CosineWarmRestarts(double base, long t0, long tMult, double etaMin) {
        this.base = Schedule.nonNegative("CosineWarmRestarts", "lr", base);
        this.t0 = Schedule.atLeast("CosineWarmRestarts", "T_0", t0, 1);
        this.tMult = Schedule.atLeast("CosineWarmRestarts", "T_mult", tMult, 1);
        this.etaMin = Schedule.nonNegative("CosineWarmRestarts", "eta_min", etaMin);
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        long tCur = step, tI = t0;
        if (tMult == 1) {
            tCur = step % t0;
        } else {
            while (tCur >= tI) {
                tCur -= tI;
                tI *= tMult;
            }
        }
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
    }
}
