package io.descent.optim;

import io.descent.kernels.OptimKernels;

/**
 * The pieces that optimizers share, each written once: the gradient direction (maximize),
 * weight decay as L2 (added to the gradient) or decoupled (applied to the parameter),
 * exponential moving averages of the gradient and its square, and Adam's bias correction.
 *
 * <p>All element-wise work is float32, with scalars rounded to float first, in the order and
 * with the roundings of PyTorch's CPU kernels: {@code a.mul_(β).add_(g, alpha=1−β)} is a
 * product and then a fused multiply-add, {@code add(x, alpha=c)} is {@code fma(c, x, a)},
 * {@code addcmul(x, y, value=c)} is {@code fma(c·x, y, a)} and {@code addcdiv(x, y, value=c)}
 * is {@code a + (c·x)/y} (measured against PyTorch 1.13's kernels, which use FMA for the first
 * two). Matching these roundings keeps long runs within float noise of PyTorch's.
 */
public final class OptimMath {
    private OptimMath() {}

    /**
     * The gradient an update follows: {@code −grad} when maximizing, plus the L2 term
     * {@code weightDecay·θ} (PyTorch's {@code grad.add(param, alpha=weight_decay)}, the
     * "coupled" weight decay of SGD, Adam, RMSprop, ...). Returns {@code grad} itself when
     * neither applies; otherwise a new array, {@code grad} is never modified.
     */
    public static float[] gradient(float[] grad, float[] param, double weightDecay, boolean maximize) {
        if (weightDecay == 0 && !maximize) return grad;
        float[] g = new float[grad.length];
        float wd = (float) weightDecay;
        for (int i = 0; i < g.length; i++) {
            float gi = maximize ? -grad[i] : grad[i];
            g[i] = weightDecay == 0 ? gi : addScaled(gi, wd, param[i]);
        }
        return g;
    }

    /**
     * Decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay
     * Regularization", 2019): {@code θ ← θ·(1 − lr·λ)}, applied to the parameter before the
     * adaptive step, as PyTorch's AdamW does ({@code param.mul_(1 - lr * weight_decay)}).
     */
    public static void decoupledDecay(float[] param, double lr, double weightDecay) {
        if (weightDecay == 0) return;
        float f = (float) (1 - lr * weightDecay);
        for (int i = 0; i < param.length; i++) param[i] *= f;
    }

    /**
     * First moment {@code m ← β·m + (1−β)·g} ({@code exp_avg.mul_(β).add_(g, alpha=1−β)}),
     * subnormal results flushed to zero (see {@link OptimKernels} for why).
     */
    public static void ema(float[] m, float[] g, double beta) {
        OptimKernels.decay(m, g, (float) beta, (float) (1 - beta));
    }

    /**
     * Second moment {@code v ← β·v + (1−β)·g²} ({@code exp_avg_sq.mul_(β).addcmul_(g, g, value=1−β)}),
     * subnormal results flushed to zero.
     */
    public static void emaSquare(float[] v, float[] g, double beta) {
        OptimKernels.decaySquare(v, g, (float) beta, (float) (1 - beta));
    }

    /** Adam's bias correction {@code 1 − β^t} for update number {@code t ≥ 1}. */
    public static double biasCorrection(double beta, long step) {
        return 1 - Math.pow(beta, step);
    }

    /** {@code a + c·x}: PyTorch's {@code add(x, alpha=c)} on one element. */
    static float addScaled(float a, float c, float x) {
        return Math.fma(c, x, a);
    }

    /** {@code a + c·x·y}: PyTorch's {@code addcmul(x, y, value=c)} on one element. */
    static float addProduct(float a, float c, float x, float y) {
        return Math.fma(c * x, y, a);
    }

    /** {@code a + c·x / y}: PyTorch's {@code addcdiv(x, y, value=c)} on one element. */
    static float addQuotient(float a, float c, float x, float y) {
        return a + c * x / y;
    }
}
