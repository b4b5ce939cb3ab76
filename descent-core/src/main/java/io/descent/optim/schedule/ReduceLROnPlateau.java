package io.descent.optim.schedule;

import io.descent.optim.Optimizer;
import io.descent.optim.ParamGroup;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rate when a validation metric stops improving: PyTorch's
 * {@code ReduceLROnPlateau}, the one schedule with state, because it depends on the metric.
 *
 * <p>{@link #step(double)} once per evaluation: the metric improves on the best one when it
 * is below {@code best·(1 − threshold)} (mode min, threshold_mode rel), below
 * {@code best − threshold} (min, abs), above {@code best·(1 + threshold)} (max, rel) or above
 * {@code best + threshold} (max, abs). After more than {@code patience} evaluations without
 * improvement every group's lr becomes {@code max(lr·factor, min_lr)} (unless that changes it
 * by less than {@code eps}), then {@code cooldown} evaluations are ignored.
 */
public final class ReduceLROnPlateau {
    /** Whether lower ({@code MIN}, a loss) or higher ({@code MAX}, an accuracy) is better. */
    public enum Mode {
        MIN, MAX;

        public static Mode parse(String s) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            throw new IllegalArgumentException("ReduceLROnPlateau: mode must be min or max, got '" + s + "'");
        }
    }

    /** Whether the threshold is relative to the best value or absolute. */
    public enum ThresholdMode {
        REL, ABS;

        public static ThresholdMode parse(String s) {
            for (ThresholdMode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            throw new IllegalArgumentException("ReduceLROnPlateau: threshold_mode must be rel or abs, got '" + s + "'");
        }
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final ThresholdMode thresholdMode;
    private final double factor, threshold, eps;
    private final int patience, cooldown;
    private final double[] minLrs;
    private double best;
    private int numBadEpochs, cooldownCounter;
    private long lastEpoch;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0, min_lr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, new double[] {0}, 1e-8);
    }

    /**
     * @param minLrs one lower bound for all groups, or one per group
     */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double[] minLrs, double eps) {
        if (optimizer == null) throw new IllegalArgumentException("ReduceLROnPlateau: optimizer must not be null");
        if (mode == null || thresholdMode == null) throw new IllegalArgumentException("ReduceLROnPlateau: mode and threshold_mode must not be null");
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + patience);
        if (cooldown < 0) throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, got " + cooldown);
        Schedule.nonNegative("ReduceLROnPlateau", "threshold", threshold);
        Schedule.nonNegative("ReduceLROnPlateau", "eps", eps);
        int groups = optimizer.paramGroups().size();
        if (minLrs == null || (minLrs.length != 1 && minLrs.length != groups)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: expected 1 or " + groups + " min_lrs, got " + (minLrs == null ? 0 : minLrs.length));
        }
        for (double m : minLrs) Schedule.nonNegative("ReduceLROnPlateau", "min_lr", m);
        this.optimizer = optimizer;
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.minLrs = minLrs.clone();
        this.eps = eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /**
     * Records one evaluation of the metric; returns whether the learning rate was reduced.
     * A NaN metric counts as no improvement (as in PyTorch).
     */
    public boolean step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduce();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
            return true;
        }
        return false;
    }

    private void reduce() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double old = g.lr();
            double min = minLrs.length == 1 ? minLrs[0] : minLrs[i];
            double next = Math.max(old * factor, min);
            if (old - next > eps) g.lr(next);
        }
    }

    private boolean isBetter(double a, double best) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? a < best * (1. - threshold) : a < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.) : a > best + threshold;
        };
    }

    /** The best metric seen so far (±infinity before the first). */
    public double best() {
        return best;
    }

    /** Evaluations since the last improvement (reset by a reduction and during cooldown). */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    /** PyTorch's state names: {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code last_epoch}. */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best", best);
        m.put("num_bad_epochs", numBadEpochs);
        m.put("cooldown_counter", cooldownCounter);
        m.put("last_epoch", lastEpoch);
        return m;
    }

    /** Restores a {@link #stateDict()} (the configuration is the constructor's). */
    public void loadStateDict(Map<String, Object> sd) {
        for (String k : List.of("best", "num_bad_epochs", "cooldown_counter", "last_epoch")) {
            if (sd == null || !(sd.get(k) instanceof Number)) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: missing number '" + k + "' (has " + (sd == null ? "nothing" : sd.keySet()) + ")");
            }
        }
        int bad = ((Number) sd.get("num_bad_epochs")).intValue(), cool = ((Number) sd.get("cooldown_counter")).intValue();
        if (bad < 0 || cool < 0) throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: counters must be >= 0, got " + bad + " and " + cool);
        best = ((Number) sd.get("best")).doubleValue();
        numBadEpochs = bad;
        cooldownCounter = cool;
        lastEpoch = ((Number) sd.get("last_epoch")).longValue();
    }

    @Override
    public String toString() {
        return "ReduceLROnPlateau(mode=" + mode + ", factor=" + factor + ", patience=" + patience + ", threshold=" + threshold
                + " " + thresholdMode + ", cooldown=" + cooldown + ", min_lr=" + Arrays.toString(minLrs) + ", eps=" + eps + ")";
    }
}
