package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.kernels.Parallel;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * A convolution followed by batch normalisation with fixed statistics, computed as one
 * convolution: the inference-time folding of the normalisation into the weights and bias.
 *
 * <p>With running statistics μ, σ², affine γ, β and {@code s = γ/√(σ² + ε)} per output channel,
 * batch normalisation is {@code (z − μ)·s + β}, and the convolution z is linear in its
 * weights, so {@code bn(conv(x; W, b)) = conv(x; W·s, (b − μ)·s + β)}. One convolution then
 * does the work of two ops, with no normalisation pass over the activations and no second
 * output array. The values are the two ops' up to float rounding (s multiplies each weight
 * instead of each sum).
 *
 * <p>Inference only: there is no backward, and the op refuses inputs that would need a
 * gradient. {@link io.descent.nn.ConvBatchNormFold} chooses it for a Conv2d followed by a
 * BatchNorm2d in evaluation mode when nothing requires grad.
 */
public final class ConvBatchNorm {
    private ConvBatchNorm() {}

    /**
     * {@code batch_norm(conv2d(x, weight, bias, stride, padding, dilation, groups), runningMean,
     * runningVar, gamma, beta, training = false, eps)}, then {@code max(·, 0)} when {@code relu}.
     * {@code bias}, {@code gamma} and {@code beta} may be null (0, 1 and 0).
     */
    public static Tensor conv2dBatchNorm(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups,
                                         Tensor runningMean, Tensor runningVar, Tensor gamma, Tensor beta, float eps, boolean relu) {
        String op = "conv2d_batch_norm";
        if (Autograd.needsGrad(x, weight, bias, gamma, beta)) {
            throw new IllegalStateException(op + ": folds the normalisation into the weights for inference and has no backward, but an input requires grad"
                    + " (run it under GradMode.noGrad(), or run conv2d then batch_norm)");
        }
        if (weight.dim() != 4) throw new IllegalArgumentException(op + ": expected weight [O, C/groups, kH, kW], got " + Shape.str(weight.shape()));
        int o = weight.size(0);
        if (runningMean == null || runningVar == null) throw new IllegalArgumentException(op + ": needs running_mean and running_var");
        perChannel(op, "running_mean", runningMean, o);
        perChannel(op, "running_var", runningVar, o);
        perChannel(op, "weight (gamma)", gamma, o);
        perChannel(op, "bias (beta)", beta, o);
        perChannel(op, "convolution bias", bias, o);
        if (!(eps >= 0f) || Float.isInfinite(eps)) throw new IllegalArgumentException(op + ": eps must be finite and non-negative, got " + eps);

        int k = o == 0 ? 0 : weight.numel() / o;
        float[] w = weight.data(), rm = runningMean.data(), rv = runningVar.data();
        float[] folded = BufferPool.take(weight.numel()), b = new float[o];
        // split over the threads: resnet50's 25 M weights are folded at every forward pass
        Parallel.forRange(o, Math.max(1, (1 << 15) / Math.max(1, k)), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float invstd = (float) (1 / Math.sqrt((double) rv[ch] + eps)); // as batch_norm computes it
                float s = gamma == null ? invstd : gamma.data()[ch] * invstd;
                for (int i = ch * k, end = i + k; i < end; i++) folded[i] = w[i] * s;
                b[ch] = ((bias == null ? 0f : bias.data()[ch]) - rm[ch]) * s + (beta == null ? 0f : beta.data()[ch]);
            }
        });
        Tensor wf = Tensor.wrap(folded, weight.shape()), bf = Tensor.wrap(b, o);
        try {
            return relu ? Conv.conv2dRelu(x, wf, bf, stride, padding, dilation, groups) : Conv.conv2d(x, wf, bf, stride, padding, dilation, groups);
        } finally {
            BufferPool.give(folded); // nothing recorded a use of it: no input requires grad
        }
    }

    private static void perChannel(String op, String what, Tensor t, int o) {
        if (t != null && (t.dim() != 1 || t.size(0) != o)) {
            throw new IllegalArgumentException(op + ": " + what + " " + Shape.str(t.shape()) + " does not match the " + o + " output channels of the weight; expected [" + o + "]");
        }
    }
}
