package io.descent.train;

import io.descent.tensor.Tensor;
import java.util.Collection;

/** Gradient clipping (PyTorch's clip_grad_norm_ and clip_grad_value_). */
public final class GradClip {
    private GradClip() {}

    /** The global L2 norm of the gradients (parameters without a gradient count as zero). */
    public static double globalNorm(Collection<Tensor> params) {
        double sq = 0;
        for (Tensor p : params) {
            float[] g = p.gradArray();
            if (g == null) continue;
            for (float v : g) sq += (double) v * v;
        }
        return Math.sqrt(sq);
    }

    /**
     * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when their global norm exceeds
     * {@code maxNorm}; returns the norm before clipping.
     */
    public static double clipNorm(Collection<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clip norm must be positive, got " + maxNorm);
        double norm = globalNorm(params);
        if (norm > maxNorm) scale(params, (float) (maxNorm / (norm + 1e-6)));
        return norm;
    }

    /** Clamps every gradient element into [−limit, limit]. */
    public static void clipValue(Collection<Tensor> params, double limit) {
        if (!(limit > 0)) throw new IllegalArgumentException("clip value must be positive, got " + limit);
        float l = (float) limit;
        for (Tensor p : params) {
            float[] g = p.gradArray();
            if (g == null) continue;
            for (int i = 0; i < g.length; i++) g[i] = Math.max(-l, Math.min(l, g[i]));
        }
    }

    /** Multiplies every gradient by {@code factor}. */
    public static void scale(Collection<Tensor> params, float factor) {
        for (Tensor p : params) {
            float[] g = p.gradArray();
            if (g == null) continue;
            for (int i = 0; i < g.length; i++) g[i] *= factor;
        }
    }
}
