package io.descent.train;

import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of the weights (Polyak averaging): after each update,
 * {@code shadow ← d·shadow + (1 − d)·θ}; buffers (batch-norm statistics) are copied. With
 * warm-up the decay is {@code min(d, (1 + n)/(10 + n))} after n updates (TensorFlow's
 * ExponentialMovingAverage with num_updates), so early averages are not dominated by the
 * random initialisation. {@link #swap()} exchanges the live and averaged weights for evaluation.
 */
public final class Ema {
    private final Module model;
    private final double decay;
    private final boolean warmup;
    private final int every;
    private final LinkedHashMap<String, Tensor> shadow = new LinkedHashMap<>();
    private long updates;

    public Ema(Module model, double decay, boolean warmup, int every) {
        if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("ema decay must be in (0, 1), got " + decay);
        if (every < 1) throw new IllegalArgumentException("ema update interval must be >= 1, got " + every);
        this.model = model;
        this.decay = decay;
        this.warmup = warmup;
        this.every = every;
        model.stateDict().forEach((k, t) -> shadow.put(k, t.copy()));
    }

    /** The decay used by the next update. */
    public double currentDecay() {
        return warmup ? Math.min(decay, (1.0 + updates) / (10.0 + updates)) : decay;
    }

    /** Called after optimizer update number {@code step} (1-based); averages every {@code every} updates. */
    public void afterStep(long step) {
        if (step % every != 0) return;
        float d = (float) currentDecay();
        Map<String, Tensor> params = model.namedParameters();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] s = shadow.get(e.getKey()).data(), w = e.getValue().data();
            if (params.containsKey(e.getKey())) {
                for (int i = 0; i < s.length; i++) s[i] = d * s[i] + (1 - d) * w[i];
            } else {
                System.arraycopy(w, 0, s, 0, s.length);
            }
        }
        updates++;
    }

    /** Exchanges the model's weights with the averaged ones (call again to swap back). */
    public void swap() {
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] s = shadow.get(e.getKey()).data(), w = e.getValue().data();
            float[] tmp = w.clone();
            System.arraycopy(s, 0, w, 0, w.length);
            System.arraycopy(tmp, 0, s, 0, s.length);
        }
    }

    /** The averaged weights, by state_dict name. */
    public Map<String, Tensor> stateDict() {
        return shadow;
    }

    public long updates() {
        return updates;
    }

    /** Restores averaged weights and the update count (resume). */
    public void load(Map<String, Tensor> weights, long updateCount) {
        for (Map.Entry<String, Tensor> e : shadow.entrySet()) {
            Tensor src = weights.get(e.getKey());
            if (src == null || src.numel() != e.getValue().numel()) throw new IllegalArgumentException("ema: saved averages lack or mismatch '" + e.getKey() + "'");
            System.arraycopy(src.data(), 0, e.getValue().data(), 0, src.numel());
        }
        this.updates = updateCount;
    }
}
