package io.descent.optim.schedule;

import io.descent.log.LinePlot;
import io.descent.optim.Optimizer;
import io.descent.optim.ParamGroup;
import io.descent.tensor.Tensor;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural
 * Networks", 2017, section 3.3; fastai's {@code lr_find}): train for N updates while the lr
 * sweeps from a start to an end value, exponentially or linearly, record the loss, and read
 * a good lr off the curve.
 *
 * <p>The caller supplies one training step ({@link TrainStep}): forward, backward,
 * {@code optimizer.step()}, {@code optimizer.zeroGrad()}, returning the loss. Before each
 * call the finder writes the sweep's lr into every group of the optimizer. The parameters
 * (those in the optimizer's groups, values and gradients) and the optimizer's state and
 * hyper-parameters are snapshotted before the sweep and restored afterwards, even when the
 * step throws; anything else the step changes (batch-norm statistics, data-loader position,
 * random generators) is the caller's to save.
 *
 * <p>The loss is smoothed exponentially with bias correction
 * ({@code avg ← β·avg + (1 − β)·loss}, {@code smoothed = avg / (1 − β^(i+1))}); the sweep
 * stops early when the smoothed loss exceeds {@code divergence ×} its best value or the loss
 * is not finite. Two suggestions: the lr where the smoothed loss falls fastest against
 * {@code log lr} (steepest negative slope), and the lr of the lowest smoothed loss divided
 * by 10.
 */
public final class LrFinder {
    /** How the lr moves from start to end. */
    public enum Sweep {
        EXPONENTIAL, LINEAR;

        public static Sweep parse(String s) {
            for (Sweep m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            throw new IllegalArgumentException("LrFinder: sweep must be exponential or linear, got '" + s + "'");
        }
    }

    /** One training step at the given lr (already written into the optimizer's groups); returns the loss. */
    @FunctionalInterface
    public interface TrainStep {
        double run(double lr);
    }

    /** The recorded curve and the suggestions. */
    public record Result(double[] lrs, double[] losses, double[] smoothed, boolean diverged, double steepestLr, double minLossLrOver10, Sweep sweep) {
        /** The suggested lr: the steepest-descent one, or min-loss/10 when the curve is too short for a slope. */
        public double suggestion() {
            return Double.isFinite(steepestLr) ? steepestLr : minLossLrOver10;
        }

        /** {@code step,lr,loss,smoothed_loss}, one row per recorded update. */
        public void writeCsv(Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("step,lr,loss,smoothed_loss\n");
                for (int i = 0; i < lrs.length; i++) {
                    w.write(i + "," + lrs[i] + "," + losses[i] + "," + smoothed[i] + "\n");
                }
            }
        }

        /** The smoothed and raw loss against the lr (log scale for an exponential sweep), with the suggestions marked. */
        public void writePng(Path file) throws IOException {
            List<LinePlot.Marker> marks = new ArrayList<>();
            if (Double.isFinite(steepestLr)) marks.add(new LinePlot.Marker(String.format(Locale.ROOT, "steepest %.2e", steepestLr), steepestLr));
            if (Double.isFinite(minLossLrOver10)) marks.add(new LinePlot.Marker(String.format(Locale.ROOT, "min/10 %.2e", minLossLrOver10), minLossLrOver10));
            LinePlot.Panel panel = new LinePlot.Panel("loss", List.of(new LinePlot.Series("smoothed loss", lrs, smoothed),
                    new LinePlot.Series("loss", lrs, losses)), marks);
            LinePlot.write(file, "LR range test" + (diverged ? " (stopped at divergence)" : ""), "learning rate", sweep == Sweep.EXPONENTIAL, List.of(panel));
        }
    }

    private final Optimizer optimizer;
    private final double startLr, endLr, smoothing, divergence;
    private final int steps;
    private final Sweep sweep;

    /** An exponential sweep with fastai's settings: smoothing 0.98, stop at 4× the best loss. */
    public LrFinder(Optimizer optimizer, double startLr, double endLr, int steps) {
        this(optimizer, startLr, endLr, steps, Sweep.EXPONENTIAL, 0.98, 4);
    }

    /**
     * @param smoothing  β of the loss's exponential moving average, in [0, 1)
     * @param divergence stop when the smoothed loss exceeds this multiple of its best (&gt; 1)
     */
    public LrFinder(Optimizer optimizer, double startLr, double endLr, int steps, Sweep sweep, double smoothing, double divergence) {
        if (optimizer == null) throw new IllegalArgumentException("LrFinder: optimizer must not be null");
        if (sweep == null) throw new IllegalArgumentException("LrFinder: sweep must not be null");
        this.startLr = Schedule.positive("LrFinder", "start_lr", startLr);
        this.endLr = Schedule.positive("LrFinder", "end_lr", endLr);
        if (!(endLr > startLr)) throw new IllegalArgumentException("LrFinder: end_lr must be > start_lr, got " + startLr + " to " + endLr);
        if (steps < 2) throw new IllegalArgumentException("LrFinder: steps must be >= 2, got " + steps);
        if (!(smoothing >= 0 && smoothing < 1)) throw new IllegalArgumentException("LrFinder: smoothing must be in [0, 1), got " + smoothing);
        if (!(divergence > 1) || Double.isInfinite(divergence)) throw new IllegalArgumentException("LrFinder: divergence threshold must be > 1, got " + divergence);
        this.optimizer = optimizer;
        this.steps = steps;
        this.sweep = sweep;
        this.smoothing = smoothing;
        this.divergence = divergence;
    }

    /** The lr of sweep step {@code i} (0 … steps−1). */
    public double lrAt(int i) {
        double f = (double) i / (steps - 1);
        return sweep == Sweep.EXPONENTIAL ? startLr * Math.pow(endLr / startLr, f) : startLr + (endLr - startLr) * f;
    }

    /** Runs the sweep and restores the parameters and the optimizer. */
    public Result run(TrainStep step) {
        if (step == null) throw new IllegalArgumentException("LrFinder: training step must not be null");
        Map<String, Tensor> params = optimizer.namedParameters();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        params.forEach((n, p) -> {
            values.put(n, p.data().clone());
            grads.put(n, p.grad() == null ? null : p.grad().copy());
        });
        Map<String, Object> optimizerState = optimizer.stateDict();
        List<Double> lrs = new ArrayList<>(), losses = new ArrayList<>(), smooth = new ArrayList<>();
        boolean diverged = false;
        try {
            double avg = 0, best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < steps; i++) {
                double lr = lrAt(i);
                for (ParamGroup g : optimizer.paramGroups()) g.lr(lr);
                double loss = step.run(lr);
                if (!Double.isFinite(loss)) {
                    diverged = true;
                    break;
                }
                avg = smoothing * avg + (1 - smoothing) * loss;
                double s = avg / (1 - Math.pow(smoothing, i + 1));
                lrs.add(lr);
                losses.add(loss);
                smooth.add(s);
                if (i > 0 && s > divergence * best) {
                    diverged = true;
                    break;
                }
                best = Math.min(best, s);
            }
        } finally {
            params.forEach((n, p) -> {
                float[] saved = values.get(n);
                System.arraycopy(saved, 0, p.data(), 0, saved.length);
                p.setGrad(grads.get(n));
            });
            optimizer.loadStateDict(optimizerState);
        }
        double[] x = toArray(lrs), y = toArray(losses), s = toArray(smooth);
        return new Result(x, y, s, diverged, steepest(x, s), minLoss(x, s), sweep);
    }

    /**
     * The lr where d(smoothed)/d(log lr) is most negative (central differences inside, one-sided
     * at the ends), searched only up to the lowest smoothed loss: past it the loss is blowing up,
     * and its fall back from a spike is no descent.
     */
    static double steepest(double[] lr, double[] s) {
        int n = lr.length;
        if (n < 3) return Double.NaN;
        int lowest = 0;
        for (int i = 1; i < n; i++) if (s[i] < s[lowest]) lowest = i;
        double bestSlope = 0;
        int best = -1;
        for (int i = 0; i <= lowest; i++) {
            int a = Math.max(0, i - 1), b = Math.min(lowest, i + 1);
            if (a == b) continue;
            double slope = (s[b] - s[a]) / (Math.log(lr[b]) - Math.log(lr[a]));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return best < 0 ? Double.NaN : lr[best];
    }

    static double minLoss(double[] lr, double[] s) {
        int best = -1;
        for (int i = 0; i < s.length; i++) if (best < 0 || s[i] < s[best]) best = i;
        return best < 0 ? Double.NaN : lr[best] / 10;
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
