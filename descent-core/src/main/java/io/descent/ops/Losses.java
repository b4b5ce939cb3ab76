package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * Loss functions on logits and predictions. Cross-entropy is fused with log-softmax: one
 * pass forward, and a backward of {@code p·Q − q} per row (q the weighted, smoothed target
 * distribution, Q its sum), never materialising the log-softmax graph.
 */
public final class Losses {
    private Losses() {}

    /** PyTorch's defaults: no class weights, ignore_index -100, no smoothing, mean. */
    public record CrossEntropyOptions(Tensor weight, int ignoreIndex, float labelSmoothing, Reduction reduction) {
        public static final CrossEntropyOptions DEFAULT = new CrossEntropyOptions(null, -100, 0f, Reduction.MEAN);

        public CrossEntropyOptions {
            if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
                throw new IllegalArgumentException("cross_entropy: label_smoothing must be in [0, 1], got " + labelSmoothing);
            }
            if (reduction == null) throw new IllegalArgumentException("cross_entropy: reduction must not be null");
        }

        public CrossEntropyOptions withLabelSmoothing(float eps) {
            return new CrossEntropyOptions(weight, ignoreIndex, eps, reduction);
        }

        public CrossEntropyOptions withWeight(Tensor w) {
            return new CrossEntropyOptions(w, ignoreIndex, labelSmoothing, reduction);
        }

        public CrossEntropyOptions withReduction(Reduction r) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, r);
        }

        public CrossEntropyOptions withIgnoreIndex(int i) {
            return new CrossEntropyOptions(weight, i, labelSmoothing, reduction);
        }
    }

    /** Mean cross-entropy of logits [N, C] against class indices. */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return crossEntropy(logits, targets, CrossEntropyOptions.DEFAULT);
    }

    /** Cross-entropy of logits [N, C] against class indices, with PyTorch's options. */
    public static Tensor crossEntropy(Tensor logits, int[] targets, CrossEntropyOptions opt) {
        int[] s = checkLogits(logits, opt);
        int n = s[0], c = s[1];
        if (targets.length != n) {
            throw new IllegalArgumentException("cross_entropy: " + targets.length + " targets for logits " + Shape.str(s));
        }
        for (int t : targets) {
            if (t != opt.ignoreIndex() && (t < 0 || t >= c)) {
                throw new IllegalArgumentException("cross_entropy: target " + t + " is out of range for " + c + " classes");
            }
        }
        float[] w = weights(opt, c);
        float eps = opt.labelSmoothing();
        float[] q = new float[n * c];
        float[] rowScale = new float[n]; // 0 for ignored rows
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            if (t == opt.ignoreIndex()) continue;
            rowScale[i] = 1;
            wsum += w[t];
            for (int j = 0; j < c; j++) q[i * c + j] = eps / c * w[j];
            q[i * c + t] += (1 - eps) * w[t];
        }
        // PyTorch: the mean divides by the summed weights of the (non-ignored) targets
        return fused(logits, q, rowScale, opt.reduction(), wsum);
    }

    /** Mean cross-entropy of logits [N, C] against class probabilities [N, C]. */
    public static Tensor crossEntropy(Tensor logits, Tensor probs) {
        return crossEntropy(logits, probs, CrossEntropyOptions.DEFAULT);
    }

    /** Cross-entropy against probability targets (mixup, CutMix, distillation); targets get no gradient. */
    public static Tensor crossEntropy(Tensor logits, Tensor probs, CrossEntropyOptions opt) {
        int[] s = checkLogits(logits, opt);
        if (!java.util.Arrays.equals(s, probs.shape())) {
            throw new IllegalArgumentException("cross_entropy: probability targets " + Shape.str(probs.shape()) + " do not match logits " + Shape.str(s));
        }
        int n = s[0], c = s[1];
        float[] w = weights(opt, c), t = probs.data(), q = new float[n * c], rowScale = new float[n];
        float eps = opt.labelSmoothing();
        for (int i = 0; i < n; i++) {
            rowScale[i] = 1;
            for (int j = 0; j < c; j++) q[i * c + j] = w[j] * (t[i * c + j] * (1 - eps) + eps / c);
        }
        // PyTorch: with probability targets the mean divides by N
        return fused(logits, q, rowScale, opt.reduction(), n);
    }

    private static int[] checkLogits(Tensor logits, CrossEntropyOptions opt) {
        int[] s = logits.shape();
        if (s.length != 2) throw new IllegalArgumentException("cross_entropy: logits must be [N, C], got " + Shape.str(s));
        if (opt.weight() != null && (opt.weight().dim() != 1 || opt.weight().size(0) != s[1])) {
            throw new IllegalArgumentException("cross_entropy: class weights " + Shape.str(opt.weight().shape()) + " do not match " + s[1] + " classes");
        }
        return s;
    }

    private static float[] weights(CrossEntropyOptions opt, int c) {
        if (opt.weight() != null) return opt.weight().data();
        float[] w = new float[c];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    /** loss_i = -Σ_j q_ij · log_softmax(x)_ij, reduced; the mean divides by {@code denom}. */
    private static Tensor fused(Tensor logits, float[] q, float[] rowScale, Reduction red, double denom) {
        int n = logits.size(0), c = logits.size(1);
        float[] x = logits.data();
        float[] p = new float[n * c]; // log-softmax, then softmax in place (kept for backward)
        float[] perRow = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            Softmax.rowForward(x, p, i * c, c, 1, true);
            double l = 0;
            for (int j = 0; j < c; j++) {
                float v = p[i * c + j];
                l -= q[i * c + j] * (double) v;
                p[i * c + j] = (float) Math.exp(v);
            }
            perRow[i] = rowScale[i] == 0 ? 0f : (float) l;
            total += perRow[i];
        }
        Tensor out = switch (red) {
            case NONE -> Tensor.wrap(perRow, n);
            case SUM -> Tensor.scalar((float) total);
            case MEAN -> Tensor.scalar((float) (total / denom));
        };
        if (!Autograd.needsGrad(logits)) return out;
        return Autograd.record(out, new Node(logits) {
            {
                account(4L * (p.length + q.length));
            }

            @Override
            public String name() {
                return "CrossEntropyBackward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                float[] g = gOut.data(), gx = new float[n * c];
                for (int i = 0; i < n; i++) {
                    if (rowScale[i] == 0) continue;
                    double a = switch (red) {
                        case NONE -> g[i];
                        case SUM -> g[0];
                        case MEAN -> g[0] / denom;
                    };
                    double qs = 0;
                    for (int j = 0; j < c; j++) qs += q[i * c + j];
                    for (int j = 0; j < c; j++) gx[i * c + j] = (float) (a * (p[i * c + j] * qs - q[i * c + j]));
                }
                return new Tensor[] {Tensor.wrap(gx, n, c)};
            }
        });
    }

    /** Mean squared error (PyTorch's mse_loss), built from primitives. */
    public static Tensor mse(Tensor prediction, Tensor target, Reduction reduction) {
        if (!java.util.Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("mse_loss: prediction " + Shape.str(prediction.shape()) + " and target " + Shape.str(target.shape()) + " differ");
        }
        Tensor d = Arithmetic.sub(prediction, target);
        Tensor sq = Arithmetic.mul(d, d);
        return switch (reduction) {
            case NONE -> sq;
            case SUM -> Reductions.sum(sq);
            case MEAN -> Reductions.mean(sq);
        };
    }

    public static Tensor mse(Tensor prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }
}
