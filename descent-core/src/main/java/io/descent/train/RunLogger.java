package io.descent.train;

import io.descent.log.ProgressBar;
import io.descent.log.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows and records a run: a progress bar per epoch, per-update scalars (loss, lr, momentum,
 * gradient norm) to TensorBoard, one metrics.csv row per evaluation, and report.html at the end.
 */
public final class RunLogger implements Callback {
    private final RunDirectory run;
    private final ProgressBar bar;
    private final String title;
    private final int batchSize;
    private final long scalarEvery;
    private double runningLoss = Double.NaN;
    private double lastGradNorm = Double.NaN;
    private boolean ratioChecked;

    /**
     * @param run        the run folder (may be null: console only)
     * @param out        where the progress bar prints (may be null: no bar)
     * @param scalarEvery log per-update scalars every N updates
     */
    public RunLogger(RunDirectory run, PrintStream out, String title, int batchSize, long scalarEvery) {
        this.run = run;
        this.bar = out == null ? null : ProgressBar.forConsole(out);
        this.title = title;
        this.batchSize = batchSize;
        this.scalarEvery = Math.max(1, scalarEvery);
    }

    @Override
    public void onEpochStart(Trainer t, int epoch) {
        runningLoss = Double.NaN;
        if (bar != null) bar.start("epoch " + (epoch + 1) + "/" + t.config().epochs(), t.batchesPerEpoch());
    }

    @Override
    public void beforeOptimizerStep(Trainer t, double gradNorm) {
        lastGradNorm = gradNorm;
    }

    @Override
    public void onBatchEnd(Trainer t, int batchInEpoch, double loss, boolean updated) {
        if (Double.isFinite(loss)) runningLoss = Double.isNaN(runningLoss) ? loss : 0.95 * runningLoss + 0.05 * loss;
        double lr = t.optimizer().paramGroups().get(0).lr();
        if (bar != null) {
            Map<String, Number> shown = new LinkedHashMap<>();
            shown.put("loss", runningLoss);
            shown.put("lr", lr);
            bar.step(batchSize, shown);
        }
        if (run != null && updated && t.step() % scalarEvery == 0) {
            Map<String, Number> s = new LinkedHashMap<>();
            s.put("train/loss", loss);
            s.put("lr", lr);
            var g = t.optimizer().paramGroups().get(0);
            if (g.has("momentum")) s.put("momentum", g.get("momentum"));
            else if (g.has("beta1")) s.put("beta1", g.get("beta1"));
            s.put("grad_norm", lastGradNorm);
            try {
                run.logScalars(t.step(), s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onValidationEnd(Trainer t, Map<String, Double> row) {
        if (bar != null) {
            Map<String, Number> shown = new LinkedHashMap<>();
            row.forEach((k, v) -> {
                if (k.startsWith("val_") || k.startsWith("ema_val_") || k.equals("train_loss")) shown.put(k, v);
            });
            bar.finish(shown);
        }
        Double ratio = row.get("update_ratio");
        // Karpathy's rule of thumb: updates about 1e-3 of the weights. Checked once, at the first
        // measurement: later ones follow the schedule down (an annealed lr is meant to be small).
        if (ratio != null && ratio > 0 && !ratioChecked) {
            ratioChecked = true;
            if (ratio < 1e-5 || ratio > 1e-1) System.err.printf("warning: update-to-weight ratio %.2e is far from ~1e-3; the learning rate may be too %s%n", ratio, ratio < 1e-5 ? "low" : "high");
        }
        if (run != null) {
            try {
                if (!t.updateRatios().isEmpty()) run.logScalars(t.step(), new LinkedHashMap<String, Number>(t.updateRatios()));
                run.logEvaluation(new LinkedHashMap<String, Object>(row));
                run.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onTrainEnd(Trainer t) {
        if (run == null) return;
        try {
            run.writeReport(title);
            run.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
