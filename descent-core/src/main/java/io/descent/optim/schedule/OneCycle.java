package io.descent.optim.schedule;

/**
 * The 1cycle policy (Smith and Topin, "Super-Convergence: Very Fast Training of Neural
 * Networks Using Large Learning Rates", 2017): PyTorch's {@code OneCycleLR}. The value
 * rises from {@code max_lr/div_factor} to {@code max_lr} over the first
 * {@code pct_start·total_steps} updates, then anneals to
 * {@code max_lr/(div_factor·final_div_factor)} by update {@code total_steps − 1} (with
 * {@code three_phase}, it first comes back down to the initial value symmetrically and then
 * anneals to the minimum). Annealing is cosine ({@code cos}) or linear. {@link #momentum}
 * moves momentum (SGD) or β1 (Adam family) inversely, between {@code max_momentum} and
 * {@code base_momentum}.
 *
 * <p>The phase boundaries and formulas are PyTorch's, to the operation order; as PyTorch, the
 * schedule is defined up to update {@code total_steps} and refuses later steps.
 * {@link #lecture} is the textbook closed form instead.
 */
public final class OneCycle implements Schedule {
    /** PyTorch's {@code anneal_strategy}. */
    public enum Anneal {
        COS, LINEAR;

        /** Parses PyTorch's name ({@code cos} or {@code linear}). */
        public static Anneal parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "cos", "cosine" -> COS;
                case "linear" -> LINEAR;
                default -> throw new IllegalArgumentException("OneCycle: anneal_strategy must be cos or linear, got '" + s + "'");
            };
        }

        double apply(double start, double end, double pct) {
            if (this == COS) {
                double cosOut = Math.cos(Math.PI * pct) + 1;
                return end + (start - end) / 2.0 * cosOut;
            }
            return (end - start) * pct + start;
        }
    }

    private final long totalSteps;
    private final double initialLr, maxLr, minLr;
    private final double[] phaseEnds;
    private final boolean threePhase;
    private final Anneal anneal;

    /** PyTorch's defaults: pct_start 0.3, anneal cos, div_factor 25, final_div_factor 1e4, three_phase false. */
    public OneCycle(double maxLr, long totalSteps) {
        this(maxLr, totalSteps, 0.3, Anneal.COS, 25, 1e4, false);
    }

    /** PyTorch's {@code OneCycleLR(max_lr, total_steps, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase)}. */
    public OneCycle(double maxLr, long totalSteps, double pctStart, Anneal anneal, double divFactor, double finalDivFactor, boolean threePhase) {
        this.maxLr = Schedule.nonNegative("OneCycle", "max_lr", maxLr);
        this.totalSteps = Schedule.atLeast("OneCycle", "total_steps", totalSteps, 1);
        if (!(pctStart >= 0 && pctStart <= 1)) throw new IllegalArgumentException("OneCycle: pct_start must be in [0, 1], got " + pctStart);
        if (anneal == null) throw new IllegalArgumentException("OneCycle: anneal_strategy must not be null");
        Schedule.positive("OneCycle", "div_factor", divFactor);
        Schedule.positive("OneCycle", "final_div_factor", finalDivFactor);
        this.anneal = anneal;
        this.threePhase = threePhase;
        this.initialLr = maxLr / divFactor;
        this.minLr = initialLr / finalDivFactor;
        double up = pctStart * totalSteps - 1;
        phaseEnds = threePhase ? new double[] {up, 2 * pctStart * totalSteps - 2, totalSteps - 1} : new double[] {up, totalSteps - 1};
        double start = 0;
        for (int i = 0; i < phaseEnds.length; i++) {
            if (phaseEnds[i] == start) {
                throw new IllegalArgumentException("OneCycle: phase " + (i + 1) + " of the cycle has no length (total_steps "
                        + totalSteps + ", pct_start " + pctStart + (threePhase ? ", three_phase" : "") + "), which divides by zero; change pct_start or total_steps");
            }
            start = phaseEnds[i];
        }
    }

    @Override
    public double at(long step) {
        double[][] ends = threePhase
                ? new double[][] {{initialLr, maxLr}, {maxLr, initialLr}, {initialLr, minLr}}
                : new double[][] {{initialLr, maxLr}, {maxLr, minLr}};
        return phase(step, ends);
    }

    /**
     * The inversely cycled momentum or β1 (PyTorch's {@code cycle_momentum}; defaults
     * base_momentum 0.85, max_momentum 0.95): from max to base while the lr rises, back to
     * max while it falls (and constant at max in the third phase).
     */
    public Schedule momentum(double baseMomentum, double maxMomentum) {
        Schedule.nonNegative("OneCycle", "base_momentum", baseMomentum);
        Schedule.nonNegative("OneCycle", "max_momentum", maxMomentum);
        double[][] ends = threePhase
                ? new double[][] {{maxMomentum, baseMomentum}, {baseMomentum, maxMomentum}, {maxMomentum, maxMomentum}}
                : new double[][] {{maxMomentum, baseMomentum}, {baseMomentum, maxMomentum}};
        return step -> phase(step, ends);
    }

    /** PyTorch's get_lr for one group: the phase holding {@code step}, annealed from its start to its end value. */
    private double phase(long step, double[][] ends) {
        Schedule.checkStep(step);
        if (step > totalSteps) {
            throw new IllegalArgumentException("OneCycle: tried to step " + (step + 1) + " times; the specified number of total steps is " + totalSteps);
        }
        double start = 0;
        for (int i = 0; i < phaseEnds.length; i++) {
            double end = phaseEnds[i];
            if (step <= end || i == phaseEnds.length - 1) {
                double pct = (step - start) / (end - start);
                return anneal.apply(ends[i][0], ends[i][1], pct);
            }
            start = end;
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * The textbook 1cycle with cosine phases, in continuous time: with {@code T} the total and
     * {@code T_up = pct_start·T}, cosine from {@code max_lr/div_factor} up to {@code max_lr}
     * for {@code t ≤ T_up}, then {@code η_min + (max_lr − η_min)·(1 + cos(π·(t − T_up)/(T − T_up)))/2}
     * down to {@code η_min = max_lr/(div_factor·final_div_factor)} at {@code t = T}, held after.
     * It differs from PyTorch's only in the phase ends ({@code T_up} and {@code T} instead of
     * {@code T_up − 1} and {@code T − 1}).
     */
    public static Schedule lecture(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        Schedule.nonNegative("OneCycle", "max_lr", maxLr);
        double initial = maxLr / Schedule.positive("OneCycle", "div_factor", divFactor);
        double min = initial / Schedule.positive("OneCycle", "final_div_factor", finalDivFactor);
        return lectureCurve(totalSteps, pctStart, initial, maxLr, min);
    }

    /**
     * The momentum of the textbook form, moving inversely: cosine from {@code max_momentum}
     * down to {@code base_momentum} while the lr rises, back up to {@code max_momentum} while
     * it falls.
     */
    public static Schedule lectureMomentum(long totalSteps, double pctStart, double baseMomentum, double maxMomentum) {
        Schedule.nonNegative("OneCycle", "base_momentum", baseMomentum);
        Schedule.nonNegative("OneCycle", "max_momentum", maxMomentum);
        return lectureCurve(totalSteps, pctStart, maxMomentum, baseMomentum, maxMomentum);
    }

    private static Schedule lectureCurve(long totalSteps, double pctStart, double from, double peak, double to) {
        Schedule.atLeast("OneCycle", "total_steps", totalSteps, 1);
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("OneCycle: pct_start must be in (0, 1), got " + pctStart);
        double up = pctStart * totalSteps;
        return step -> {
            Schedule.checkStep(step);
            if (step <= up) return Anneal.COS.apply(from, peak, step / up);
            return Anneal.COS.apply(peak, to, Math.min(1.0, (step - up) / (totalSteps - up)));
        };
    }
}
