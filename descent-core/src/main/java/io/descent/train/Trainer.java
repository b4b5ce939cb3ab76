package io.descent.train;

import io.descent.autograd.GradMode;
import io.descent.data.Batch;
import io.descent.data.DataLoader;
import io.descent.io.Safetensors;
import io.descent.io.StateFile;
import io.descent.nn.Module;
import io.descent.optim.Optimizer;
import io.descent.optim.ParamGroup;
import io.descent.optim.schedule.ReduceLROnPlateau;
import io.descent.optim.schedule.Scheduler;
import io.descent.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a model. The loop of {@link #fit} reads top to bottom: forward, loss, backward; every
 * {@code accumulate} micro-batches: clip, optimizer step, zero the gradients, tick the
 * schedule (once per optimizer update, never per micro-batch). Evaluation runs in eval mode
 * under no-grad after each epoch (and every N updates if configured), feeds early stopping,
 * ReduceLROnPlateau and the callbacks, and writes best/last weights and the full training state
 * to the run folder when one is set.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final Task task;
    private Map<String, String> weightsMetadata = Map.of();
    private final TrainConfig config;
    private Scheduler scheduler;
    private ReduceLROnPlateau plateau;
    private String plateauMetric;
    private Ema ema;
    private EarlyStopping earlyStopping;
    private Path runDir;
    private final List<Callback> callbacks = new ArrayList<>();

    private int batchesPerEpoch;

    // progress: the state a checkpoint saves
    private int epoch;
    private int batchInEpoch;
    private long step;
    private long skippedSteps;
    private double trainLossSum;
    private long trainLossCount;
    private final List<Map<String, Double>> history = new ArrayList<>();
    private Map<String, Tensor> bestWeights;
    private double lastGradNorm = Double.NaN;
    private double lastUpdateRatio = Double.NaN;
    private final Map<String, Double> updateRatios = new LinkedHashMap<>();

    public Trainer(Module model, Optimizer optimizer, Task task, TrainConfig config) {
        if (model == null || optimizer == null || task == null || config == null) throw new IllegalArgumentException("Trainer: model, optimizer, task and config are required");
        this.model = model;
        this.optimizer = optimizer;
        this.task = task;
        this.config = config;
    }

    public Trainer scheduler(Scheduler s) {
        this.scheduler = s;
        return this;
    }

    /** Reduces the lr when {@code metric} (e.g. "val_loss") plateaus; stepped after each evaluation. */
    public Trainer plateau(ReduceLROnPlateau p, String metric) {
        this.plateau = p;
        this.plateauMetric = metric;
        return this;
    }

    public Trainer ema(Ema e) {
        this.ema = e;
        return this;
    }

    public Trainer earlyStopping(EarlyStopping e) {
        this.earlyStopping = e;
        return this;
    }

    /** Writes best.safetensors, last.safetensors (and ema.safetensors) and checkpoint/state.safetensors here. */
    public Trainer runDir(Path dir) {
        this.runDir = dir;
        return this;
    }

    /**
     * Strings written into every weights file this trainer saves (safetensors' {@code __metadata__}):
     * what a later command needs to rebuild the model from the file alone (its name, input size, task).
     */
    public Trainer weightsMetadata(Map<String, String> metadata) {
        this.weightsMetadata = Map.copyOf(metadata);
        return this;
    }

    public Map<String, String> weightsMetadata() {
        return weightsMetadata;
    }

    public Trainer callback(Callback c) {
        callbacks.add(c);
        return this;
    }

    // ---------------------------------------------------------------- the loop

    /** Trains on {@code train}, evaluating on {@code val} (may be null); returns the metrics rows. */
    public List<Map<String, Double>> fit(DataLoader train, DataLoader val) {
        int batches = train.numBatches();
        batchesPerEpoch = batches;
        if (batches == 0) throw new IllegalArgumentException("fit: the training loader yields no batch (data set smaller than the batch with drop-last?)");
        // a watched metric that is never logged fails now, not after the first epoch's training
        Set<String> logged = loggedMetrics(val);
        if (earlyStopping != null) requireLogged("early stopping", earlyStopping.metric(), logged);
        if (plateau != null) requireLogged("ReduceLROnPlateau", plateauMetric, logged);
        callbacks.forEach(c -> c.onTrainStart(this));
        boolean earlyStop = false, limit = config.maxSteps() > 0 && step >= config.maxSteps();
        while (epoch < config.epochs() && !earlyStop && !limit) {
            int e = epoch;
            callbacks.forEach(c -> c.onEpochStart(this, e));
            model.train();
            int window = 0, b = 0;
            for (Batch batch : train.epoch(epoch)) {
                if (b++ < batchInEpoch) continue; // resuming mid-epoch: these were consumed before
                batchInEpoch = b;
                Tensor output = model.forward(batch.inputs());
                Tensor loss = task.loss(output, batch);
                double lossValue = loss.item();
                if (Double.isFinite(lossValue) || nonFinite("loss " + lossValue, b)) {
                    loss.mul(1f / config.accumulate()).backward(); // mean over the window's micro-batches
                    trainLossSum += lossValue;
                    trainLossCount++;
                    window++;
                }
                boolean updated = false;
                if (window > 0 && (window == config.accumulate() || b == batches)) {
                    updated = update(window, b);
                    window = 0;
                }
                boolean up = updated;
                int bb = b;
                callbacks.forEach(c -> c.onBatchEnd(this, bb, lossValue, up));
                if (updated && config.evalEverySteps() > 0 && step % config.evalEverySteps() == 0 && b < batches) {
                    earlyStop = evaluate(val);
                    model.train();
                }
                limit = config.maxSteps() > 0 && step >= config.maxSteps();
                if (earlyStop || limit) break;
            }
            if (!earlyStop) earlyStop = evaluate(val);
            callbacks.forEach(c -> c.onEpochEnd(this, e));
            if (batchInEpoch >= batches) { // the epoch is complete; a step limit may stop mid-epoch
                epoch++;
                batchInEpoch = 0;
            }
            saveState();
        }
        if (earlyStopping != null && bestWeights != null) model.loadStateDict(bestWeights, true);
        callbacks.forEach(c -> c.onTrainEnd(this));
        return history;
    }

    /** Clip, step, zero, schedule. Returns false when the update was skipped (non-finite gradient). */
    private boolean update(int window, int batch) {
        List<Tensor> params = new ArrayList<>(optimizer.namedParameters().values());
        if (window < config.accumulate()) GradClip.scale(params, (float) config.accumulate() / window); // a partial last window averages over what it has
        if (config.clipValue() > 0) GradClip.clipValue(params, config.clipValue());
        double norm = config.clipNorm() > 0 ? GradClip.clipNorm(params, config.clipNorm()) : GradClip.globalNorm(params);
        lastGradNorm = norm;
        if (!Double.isFinite(norm) && !nonFinite("gradient norm " + norm, batch)) {
            optimizer.zeroGrad();
            return false;
        }
        callbacks.forEach(c -> c.beforeOptimizerStep(this, norm));
        Map<ParamGroup, float[][]> before = measuresRatios() ? snapshot() : null;
        optimizer.step();
        optimizer.zeroGrad();
        step++;
        if (before != null) recordRatios(before);
        if (scheduler != null) scheduler.step();
        if (ema != null) ema.afterStep(step);
        return true;
    }

    /** Applies the non-finite policy: throws under HALT, counts and returns false under SKIP. */
    private boolean nonFinite(String what, int batch) {
        if (config.nonFinite() == TrainConfig.NonFinite.HALT) {
            throw new TrainingDivergedException("non-finite " + what + " at optimizer step " + (step + 1) + " (epoch " + (epoch + 1) + ", batch " + batch
                    + "); lower the learning rate, clip gradients (--clip-norm), or skip such steps (--on-nan skip)");
        }
        skippedSteps++;
        optimizer.zeroGrad();
        return false;
    }

    private boolean measuresRatios() {
        return config.ratioEverySteps() > 0 && (step + 1) % config.ratioEverySteps() == 0;
    }

    private Map<ParamGroup, float[][]> snapshot() {
        Map<ParamGroup, float[][]> m = new LinkedHashMap<>();
        for (ParamGroup g : optimizer.paramGroups()) m.put(g, g.params().values().stream().map(Tensor::toArray).toArray(float[][]::new));
        return m;
    }

    /**
     * ‖Δθ‖ / ‖θ‖ per parameter group and over all of them (the lecture's update-to-weight
     * ratio, healthy near 1e-3).
     */
    private void recordRatios(Map<ParamGroup, float[][]> before) {
        int gi = 0;
        double allDu = 0, allW = 0;
        for (var e : before.entrySet()) {
            double du = 0, w = 0;
            int k = 0;
            for (Tensor p : e.getKey().params().values()) {
                float[] now = p.data(), old = e.getValue()[k++];
                for (int i = 0; i < now.length; i++) {
                    du += (double) (now[i] - old[i]) * (now[i] - old[i]);
                    w += (double) old[i] * old[i];
                }
            }
            updateRatios.put("update_ratio/g" + gi++, w == 0 ? 0 : Math.sqrt(du / w));
            allDu += du;
            allW += w;
        }
        lastUpdateRatio = allW == 0 ? 0 : Math.sqrt(allDu / allW);
    }

    /** The latest per-group update ratios ({@code update_ratio/g0}, ...), for logs. */
    public Map<String, Double> updateRatios() {
        return updateRatios;
    }

    /** The columns {@link #evaluate(DataLoader)} writes into a metrics row, in its order. */
    private Set<String> loggedMetrics(DataLoader val) {
        Set<String> keys = new LinkedHashSet<>(List.of("epoch", "step", "lr", "train_loss"));
        if (val != null) {
            keys.addAll(task.metrics().values("val_").keySet());
            if (ema != null) keys.addAll(task.metrics().values("ema_val_").keySet());
        }
        keys.add("grad_norm");
        if (config.ratioEverySteps() > 0) keys.add("update_ratio");
        return keys;
    }

    private static void requireLogged(String who, String metric, Set<String> logged) {
        if (!logged.contains(metric)) throw new IllegalArgumentException(who + " watches '" + metric + "', which is not logged (logged: " + logged + ")");
    }

    /** Evaluates, records a metrics row, runs early stopping / plateau / checkpoints; true = stop. */
    private boolean evaluate(DataLoader val) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("epoch", (double) (epoch + 1));
        row.put("step", (double) step);
        row.put("lr", optimizer.paramGroups().get(0).lr());
        row.put("train_loss", trainLossCount == 0 ? Double.NaN : trainLossSum / trainLossCount);
        trainLossSum = 0;
        trainLossCount = 0;
        if (val != null) {
            row.putAll(evaluate(model, val, task, "val_"));
            if (ema != null) {
                ema.swap();
                try {
                    row.putAll(evaluate(model, val, task, "ema_val_"));
                } finally {
                    ema.swap();
                }
            }
        }
        row.put("grad_norm", lastGradNorm);
        // one column over all groups, so rows keep their columns when groups are added (unfreezing)
        if (config.ratioEverySteps() > 0) row.put("update_ratio", lastUpdateRatio);
        history.add(row);
        callbacks.forEach(c -> c.onValidationEnd(this, row));
        boolean improved = true, stop = false;
        if (earlyStopping != null) {
            Double v = row.get(earlyStopping.metric());
            if (v == null) requireLogged("early stopping", earlyStopping.metric(), row.keySet());
            improved = earlyStopping.update(v);
            if (improved) bestWeights = copy(model.stateDict());
            stop = earlyStopping.shouldStop();
        }
        if (plateau != null) {
            Double v = row.get(plateauMetric);
            if (v == null) requireLogged("ReduceLROnPlateau", plateauMetric, row.keySet());
            plateau.step(v);
        }
        writeWeights(improved);
        return stop;
    }

    /** Loss and metrics of {@code model} over a loader, in eval mode under no-grad. */
    public static Map<String, Double> evaluate(Module model, DataLoader loader, Task task, String prefix) {
        return evaluateInto(model, loader, task, task.metrics()).values(prefix);
    }

    /** Adds {@code model}'s outputs and losses over a loader to {@code m} (eval mode, no-grad) and returns it: for metrics beyond {@link Task.Metrics#values}. */
    public static <M extends Task.Metrics> M evaluateInto(Module model, DataLoader loader, Task task, M m) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var ng = GradMode.noGrad()) {
            for (Batch b : loader.epoch(0)) {
                Tensor out = model.forward(b.inputs());
                m.add(out, b, task.loss(out, b).item());
            }
        } finally {
            model.train(wasTraining);
        }
        return m;
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.copy()));
        return out;
    }

    // ---------------------------------------------------------------- run folder and checkpoints

    private void writeWeights(boolean best) {
        if (runDir == null) return;
        try {
            Files.createDirectories(runDir);
            Safetensors.write(runDir.resolve("last.safetensors"), model.stateDict(), weightsMetadata);
            if (best) Safetensors.write(runDir.resolve("best.safetensors"), model.stateDict(), weightsMetadata);
            if (ema != null) Safetensors.write(runDir.resolve("ema.safetensors"), ema.stateDict(), weightsMetadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write weights to " + runDir, e);
        }
    }

    private void saveState() {
        if (runDir == null) return;
        try {
            Files.createDirectories(runDir.resolve("checkpoint"));
            saveCheckpoint(runDir.resolve("checkpoint").resolve("state.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint to " + runDir, e);
        }
    }

    /**
     * Writes everything a bit-identical resume needs to one file, atomically: model weights and
     * buffers, optimizer and scheduler state, the position (epoch, batch, step), running train
     * loss, early-stopping and plateau state, EMA averages and the dropout generators.
     */
    public void saveCheckpoint(Path file) throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", new LinkedHashMap<>(model.stateDict()));
        s.put("optimizer", optimizer.stateDict());
        if (scheduler != null) s.put("scheduler", scheduler.stateDict());
        if (plateau != null) s.put("plateau", plateau.stateDict());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("epoch", (long) epoch);
        t.put("batch_in_epoch", (long) batchInEpoch);
        t.put("step", step);
        t.put("skipped_steps", skippedSteps);
        t.put("train_loss_sum", trainLossSum);
        t.put("train_loss_count", trainLossCount);
        s.put("trainer", t);
        if (earlyStopping != null) {
            s.put("early_stopping", Map.of("best", earlyStopping.best(), "bad", (long) earlyStopping.badEvaluations()));
            if (bestWeights != null) s.put("best_weights", new LinkedHashMap<>(bestWeights));
        }
        if (ema != null) {
            s.put("ema", new LinkedHashMap<>(ema.stateDict()));
            s.put("ema_updates", ema.updates());
        }
        s.put("rng", RngStates.capture(model));
        List<Object> hist = new ArrayList<>();
        for (Map<String, Double> row : history) hist.add(new LinkedHashMap<>(row));
        s.put("history", hist);
        StateFile.write(file, s);
    }

    /** Restores a {@link #saveCheckpoint} file into this trainer (same model, optimizer and settings). */
    @SuppressWarnings("unchecked")
    public void resume(Path file) throws IOException {
        Map<String, Object> s = StateFile.read(file);
        model.loadStateDict((Map<String, Tensor>) (Map<String, ?>) s.get("model"), true);
        optimizer.loadStateDict((Map<String, Object>) s.get("optimizer"));
        if (scheduler != null) scheduler.loadStateDict((Map<String, Object>) s.get("scheduler"));
        if (plateau != null) plateau.loadStateDict((Map<String, Object>) s.get("plateau"));
        Map<String, Object> t = (Map<String, Object>) s.get("trainer");
        epoch = ((Number) t.get("epoch")).intValue();
        batchInEpoch = ((Number) t.get("batch_in_epoch")).intValue();
        step = ((Number) t.get("step")).longValue();
        skippedSteps = ((Number) t.get("skipped_steps")).longValue();
        trainLossSum = ((Number) t.get("train_loss_sum")).doubleValue();
        trainLossCount = ((Number) t.get("train_loss_count")).longValue();
        if (earlyStopping != null && s.get("early_stopping") instanceof Map<?, ?> es) {
            earlyStopping.restore(((Number) es.get("best")).doubleValue(), ((Number) es.get("bad")).intValue());
            if (s.get("best_weights") instanceof Map<?, ?> bw) bestWeights = copy((Map<String, Tensor>) bw);
        }
        if (ema != null) ema.load((Map<String, Tensor>) s.get("ema"), ((Number) s.get("ema_updates")).longValue());
        RngStates.restore(model, (Map<String, Object>) s.get("rng"));
        history.clear();
        for (Object row : (List<Object>) s.get("history")) {
            Map<String, Double> r = new LinkedHashMap<>();
            ((Map<String, Object>) row).forEach((k, v) -> r.put(k, ((Number) v).doubleValue()));
            history.add(r);
        }
    }

    // ---------------------------------------------------------------- accessors

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public TrainConfig config() {
        return config;
    }

    /** Micro-batches per epoch of the loader being fitted. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Optimizer updates done so far. */
    public long step() {
        return step;
    }

    /** The current epoch (0-based). */
    public int epoch() {
        return epoch;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    public List<Map<String, Double>> history() {
        return history;
    }

    public Path runDir() {
        return runDir;
    }
}
