package io.descent.optim.schedule;

/**
 * Cyclical learning rates (Smith, "Cyclical Learning Rates for Training Neural Networks",
 * WACV 2017): PyTorch's {@code CyclicLR}. The value goes from {@code base_lr} up to
 * {@code max_lr} over {@code step_size_up} updates and back down over
 * {@code step_size_down}; the amplitude is scaled per cycle by the mode:
 * {@code triangular} (1), {@code triangular2} (halved every cycle) or {@code exp_range}
 * ({@code γ^t}, per update). {@link #momentum} is the inverse cycle between
 * {@code max_momentum} and {@code base_momentum} (PyTorch's {@code cycle_momentum}).
 */
public final class Cyclic implements Schedule {
    /** The amplitude scaling of PyTorch's {@code mode}. */
    public enum Mode {
        TRIANGULAR, TRIANGULAR2, EXP_RANGE;

        /** Parses PyTorch's name ({@code triangular}, {@code triangular2}, {@code exp_range}). */
        public static Mode parse(String s) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(s.replace('-', '_'))) return m;
            throw new IllegalArgumentException("Cyclic: mode must be triangular, triangular2 or exp_range, got '" + s + "'");
        }
    }

    private final double baseLr, maxLr, gamma, totalSize, stepRatio;
    private final Mode mode;

    /** PyTorch's {@code CyclicLR(base_lr, max_lr, step_size_up=2000, step_size_down=None, mode='triangular', gamma=1.0)}. */
    public Cyclic(double baseLr, double maxLr, long stepSizeUp, long stepSizeDown, Mode mode, double gamma) {
        this.baseLr = Schedule.nonNegative("Cyclic", "base_lr", baseLr);
        this.maxLr = Schedule.nonNegative("Cyclic", "max_lr", maxLr);
        Schedule.atLeast("Cyclic", "step_size_up", stepSizeUp, 1);
        Schedule.atLeast("Cyclic", "step_size_down", stepSizeDown, 1);
        if (mode == null) throw new IllegalArgumentException("Cyclic: mode must not be null");
        this.mode = mode;
        this.gamma = Schedule.positive("Cyclic", "gamma", gamma);
        double up = stepSizeUp, down = stepSizeDown;
        this.totalSize = up + down;
        this.stepRatio = up / totalSize;
    }

    /** Symmetric cycles ({@code step_size_down = step_size_up}). */
    public Cyclic(double baseLr, double maxLr, long stepSizeUp, Mode mode, double gamma) {
        this(baseLr, maxLr, stepSizeUp, stepSizeUp, mode, gamma);
    }

    @Override
    public double at(long step) {
        return baseLr + (maxLr - baseLr) * wave(step);
    }

    /**
     * PyTorch's cycled momentum: {@code max_momentum} at the cycle's ends, {@code base_momentum}
     * at its peak (defaults 0.8 and 0.9 in PyTorch's CyclicLR).
     */
    public Schedule momentum(double baseMomentum, double maxMomentum) {
        Schedule.nonNegative("Cyclic", "base_momentum", baseMomentum);
        Schedule.nonNegative("Cyclic", "max_momentum", maxMomentum);
        return step -> maxMomentum - (maxMomentum - baseMomentum) * wave(step);
    }

    /** {@code scale_factor·scale_fn(x)}, in PyTorch's operation order (its get_lr). */
    private double wave(long step) {
        Schedule.checkStep(step);
        double cycle = Math.floor(1 + step / totalSize);
        double x = 1. + step / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double scale = switch (mode) {
            case TRIANGULAR -> 1.;
            case TRIANGULAR2 -> 1 / Math.pow(2., cycle - 1);
            case EXP_RANGE -> Math.pow(gamma, step);
        };
        return scaleFactor * scale;
    }
}
