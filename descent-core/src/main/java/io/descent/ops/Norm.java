package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.NormKernels;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) with PyTorch's {@code F.batch_norm} semantics
 * for [N, C] and [N, C, ...] (e.g. [N, C, H, W]) input, statistics per channel C.
 *
 * <p>Training normalises with the batch mean μ and biased variance σ² over the m = N·H·W values
 * of a channel, and updates the running statistics in place:
 * {@code running_mean ← (1 − momentum)·running_mean + momentum·μ},
 * {@code running_var ← (1 − momentum)·running_var + momentum·σ²·m/(m − 1)} (unbiased).
 * Evaluation normalises with the running statistics. With {@code x̂ = (x − μ)/√(σ² + ε)} and
 * {@code y = γ·x̂ + β}, backward is {@code dβ = Σdy}, {@code dγ = Σdy·x̂}, and
 * <ul>
 *   <li>training, through the batch statistics:
 *       {@code dx = γ/√(σ²+ε) · (dy − Σdy/m − x̂·Σ(dy·x̂)/m)};</li>
 *   <li>evaluation (statistics are constants): {@code dx = γ/√(σ²+ε) · dy}.</li>
 * </ul>
 */
public final class Norm {
    private Norm() {}

    /**
     * PyTorch's {@code F.batch_norm(x, running_mean, running_var, weight, bias, training,
     * momentum, eps)}. The running statistics are 1-D [C] buffers, given together or both null
     * (then training is required); weight (γ) and bias (β) are [C] or null (γ = 1, β = 0).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, float momentum, float eps) {
        return batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps, false);
    }

    /**
     * {@code relu(batchNorm(...))} in one op: each plane is clamped right after it is
     * normalised, with no second output array, and one backward node masks the gradient by
     * the saved output first. Same values and gradients as the two ops (the ResNets' blocks use
     * it through {@link io.descent.nn.BatchNorm#forwardRelu}).
     */
    public static Tensor batchNormRelu(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                       boolean training, float momentum, float eps) {
        return batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps, true);
    }

    private static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                    boolean training, float momentum, float eps, boolean relu) {
        String op = "batch_norm";
        int[] xs = x.shape();
        if (xs.length < 2) throw new IllegalArgumentException(op + ": expected an input [N, C] or [N, C, H, W], got " + Shape.str(xs));
        int n = xs[0], c = xs[1], s = c == 0 || n == 0 ? 0 : x.numel() / (n * c);
        perChannel(op, "running_mean", runningMean, c, xs);
        perChannel(op, "running_var", runningVar, c, xs);
        perChannel(op, "weight", weight, c, xs);
        perChannel(op, "bias", bias, c, xs);
        if ((runningMean == null) != (runningVar == null)) throw new IllegalArgumentException(op + ": running_mean and running_var must be given together");
        if (!training && runningMean == null) throw new IllegalArgumentException(op + ": evaluation (training = false) needs running_mean and running_var");
        if (!(eps >= 0f) || Float.isInfinite(eps)) throw new IllegalArgumentException(op + ": eps must be finite and non-negative, got " + eps);
        if (!Float.isFinite(momentum)) throw new IllegalArgumentException(op + ": momentum must be finite, got " + momentum);
        long m = (long) n * s;
        if (training && m <= 1) throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input " + Shape.str(xs));

        float[] mean = new float[c], invstd = new float[c];
        if (training) {
            float[] var = new float[c];
            NormKernels.moments(x.data(), n, c, s, mean, var);
            for (int ch = 0; ch < c; ch++) invstd[ch] = (float) (1 / Math.sqrt((double) var[ch] + eps));
            if (runningMean != null) {
                float[] rm = runningMean.data(), rv = runningVar.data();
                for (int ch = 0; ch < c; ch++) {
                    rm[ch] = (float) (momentum * (double) mean[ch] + (1 - (double) momentum) * rm[ch]);
                    rv[ch] = (float) (momentum * ((double) var[ch] * m / (m - 1)) + (1 - (double) momentum) * rv[ch]);
                }
            }
        } else {
            float[] rm = runningMean.data(), rv = runningVar.data();
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = rm[ch];
                invstd[ch] = (float) (1 / Math.sqrt((double) rv[ch] + eps));
            }
        }
        float[] scale = new float[c], shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = weight == null ? invstd[ch] : weight.data()[ch] * invstd[ch];
            shift[ch] = bias == null ? 0f : bias.data()[ch];
        }
        float[] y = BufferPool.take(x.numel()); // every element is written
        NormKernels.normalize(x.data(), n, c, s, mean, scale, shift, y, relu);
        Tensor out = Tensor.wrap(y, xs);
        if (!Autograd.needsGrad(x, weight, bias)) return out;
        return Autograd.record(out, new BatchNormBackward(x, weight, bias, training, n, c, s, mean, invstd, relu ? out.detach() : null));
    }

    private static void perChannel(String op, String what, Tensor t, int c, int[] xs) {
        if (t != null && (t.dim() != 1 || t.size(0) != c)) {
            throw new IllegalArgumentException(op + ": " + what + " " + Shape.str(t.shape()) + " does not match the " + c + " channels of input " + Shape.str(xs) + "; expected [" + c + "]");
        }
    }

    /** Saves the input, γ, and the per-channel μ and 1/√(σ²+ε) used by the forward pass (and a fused ReLU's output). */
    private static final class BatchNormBackward extends Node {
        private final boolean training, hasWeight, relu;
        private final int n, c, s;
        private float[] mean, invstd;

        BatchNormBackward(Tensor x, Tensor weight, Tensor bias, boolean training, int n, int c, int s, float[] mean, float[] invstd, Tensor reluOut) {
            super(x, weight, bias);
            this.training = training;
            this.relu = reluOut != null;
            this.hasWeight = weight != null;
            this.n = n;
            this.c = c;
            this.s = s;
            this.mean = mean;
            this.invstd = invstd;
            save(x, needsGrad(0) ? weight : null, reluOut);
            account(8L * c);
        }

        @Override
        public String name() {
            return relu ? "BatchNormReluBackward" : "BatchNormBackward";
        }

        @Override
        protected Tensor[] backward(Tensor gOut) {
            Tensor xt = saved(0);
            Tensor pre = relu ? Activations.reluGrad(saved(2), gOut) : gOut;
            float[] x = xt.data(), dy = pre.data();
            float[] sumDy = new float[c], sumDyXmu = new float[c];
            NormKernels.gradSums(x, dy, n, c, s, mean, sumDy, sumDyXmu);
            Tensor gx = null, gw = null, gb = null;
            if (needsGrad(0)) {
                float[] a = new float[c], b = new float[c], d = new float[c];
                double m = (double) n * s;
                for (int ch = 0; ch < c; ch++) {
                    double gamma = hasWeight ? saved(1).data()[ch] : 1.0, is = invstd[ch];
                    a[ch] = (float) (gamma * is);
                    if (training) {
                        b[ch] = (float) (-gamma * is * is * is * sumDyXmu[ch] / m);
                        d[ch] = (float) (-gamma * is * sumDy[ch] / m);
                    }
                }
                gx = Tensor.recyclable(xt.shape());
                NormKernels.backwardInput(dy, x, n, c, s, mean, a, b, d, gx.data());
            }
            if (needsGrad(1)) {
                float[] dw = new float[c];
                for (int ch = 0; ch < c; ch++) dw[ch] = (float) ((double) invstd[ch] * sumDyXmu[ch]);
                gw = Tensor.wrap(dw, c);
            }
            if (needsGrad(2)) gb = Tensor.wrap(sumDy, c);
            if (relu) BufferPool.give(pre.data()); // this node's own scratch: nothing else has seen it
            return new Tensor[] {gx, gw, gb};
        }

        @Override
        protected void releaseExtra() {
            mean = null;
            invstd = null;
        }
    }
}
