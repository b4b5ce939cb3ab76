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
        checkTargets(targets, c, opt.ignoreIndex());
        float[] q = new float[n * c];
        float[] rowScale = new float[n]; // 0 for ignored rows
        double wsum = classTargets(targets, weights(opt, c), opt.labelSmoothing(), opt.ignoreIndex(), q, rowScale);
        // PyTorch: the mean divides by the summed weights of the (non-ignored) targets
        return fused(logits, q, rowScale, opt.reduction(), wsum);
    }

    private static void checkTargets(int[] targets, int c, int ignoreIndex) {
        for (int t : targets) {
            if (t != ignoreIndex && (t < 0 || t >= c)) {
                throw new IllegalArgumentException("cross_entropy: target " + t + " is out of range for " + c + " classes");
            }
        }
    }

    /** Fills q (smoothed, weighted one-hot rows) and rowScale (1, or 0 for ignored rows); returns Σ w[target]. */
    private static double classTargets(int[] targets, float[] w, float eps, int ignoreIndex, float[] q, float[] rowScale) {
        int n = targets.length, c = w.length;
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            if (t == ignoreIndex) continue;
            rowScale[i] = 1;
            wsum += w[t];
            for (int j = 0; j < c; j++) q[i * c + j] = eps / c * w[j];
            q[i * c + t] += (1 - eps) * w[t];
        }
        return wsum;
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
        float[] q = new float[n * c], rowScale = new float[n];
        java.util.Arrays.fill(rowScale, 1f);
        probabilityTargets(probs.data(), weights(opt, c), opt.labelSmoothing(), q);
        // PyTorch: with probability targets the mean divides by N
        return fused(logits, q, rowScale, opt.reduction(), n);
    }

    /** q = w · (t · (1 − ε) + ε / C), row by row. */
    private static void probabilityTargets(float[] t, float[] w, float eps, float[] q) {
        int c = w.length;
        for (int k = 0; k < q.length; k++) {
            int j = k % c;
            q[k] = w[j] * (t[k] * (1 - eps) + eps / c);
        }
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
        double total = rowLosses(x, q, rowScale, p, perRow, c);
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
                float[] gx = new float[n * c];
                rowGradients(gOut.data(), red, denom, q, p, rowScale, gx, c);
                return new Tensor[] {Tensor.wrap(gx, n, c)};
            }
        });
    }

    /**
     * Per row i: p_i = log_softmax(x_i), loss_i = −Σ_j q_ij · p_ij (0 where rowScale is 0), then
     * p_i = exp(p_i), the softmax backward needs. Returns Σ loss_i.
     */
    private static double rowLosses(float[] x, float[] q, float[] rowScale, float[] p, float[] perRow, int c) {
        int n = perRow.length;
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
        return total;
    }

    /** ∂loss/∂x_ij = a_i · (softmax_ij · Σ_k q_ik − q_ij), a_i the upstream gradient of row i's loss. */
    private static void rowGradients(float[] g, Reduction red, double denom, float[] q, float[] p, float[] rowScale, float[] gx, int c) {
        for (int i = 0; i < rowScale.length; i++) {
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
    }

    /** Mean squared error (PyTorch's mse_loss), built from primitives. */
    public static Tensor mse(Tensor prediction, Tensor target, Reduction reduction) {
        if (!java.util.Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("mse_loss: prediction " + Shape.str(prediction.shape()) + " and target " + Shape.str(target.shape()) + " differ");
        }
        Tensor d = Arithmetic.sub(prediction, target);
        return reduce(Arithmetic.mul(d, d), reduction);
    }

    public static Tensor mse(Tensor prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }

    /** Applies a reduction to per-element losses. */
    public static Tensor reduce(Tensor perElement, Reduction reduction) {
        return switch (reduction) {
            case NONE -> perElement;
            case SUM -> Reductions.sum(perElement);
            case MEAN -> Reductions.mean(perElement);
        };
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(a.shape()) + " and target " + Shape.str(b.shape()) + " differ");
        }
    }

    /** Mean absolute error (PyTorch's l1_loss). */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        sameShape("l1_loss", input, target);
        return reduce(Unary.abs(Arithmetic.sub(input, target)), reduction);
    }

    /**
     * Smooth L1 (PyTorch's smooth_l1_loss): 0.5·d²/β where |d| < β, else |d| − 0.5·β
     * (β = 0 is plain L1).
     */
    public static Tensor smoothL1(Tensor input, Tensor target, float beta, Reduction reduction) {
        sameShape("smooth_l1_loss", input, target);
        if (!(beta >= 0)) throw new IllegalArgumentException("smooth_l1_loss: beta must be >= 0, got " + beta);
        Tensor d = Arithmetic.sub(input, target);
        Tensor ad = Unary.abs(d);
        if (beta == 0) return reduce(ad, reduction);
        Tensor quad = Arithmetic.mulScalar(Arithmetic.mul(d, d), 0.5f / beta);
        Tensor lin = Arithmetic.addScalar(ad, -0.5f * beta);
        return reduce(Where.where(lessThan(ad, beta), quad, lin), reduction);
    }

    /** Huber (PyTorch's huber_loss): 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ). */
    public static Tensor huber(Tensor input, Tensor target, float delta, Reduction reduction) {
        sameShape("huber_loss", input, target);
        if (!(delta > 0)) throw new IllegalArgumentException("huber_loss: delta must be positive, got " + delta);
        Tensor d = Arithmetic.sub(input, target);
        Tensor ad = Unary.abs(d);
        Tensor quad = Arithmetic.mulScalar(Arithmetic.mul(d, d), 0.5f);
        Tensor lin = Arithmetic.mulScalar(Arithmetic.addScalar(ad, -0.5f * delta), delta);
        return reduce(Where.where(lessThan(ad, delta), quad, lin), reduction);
    }

    private static Tensor lessThan(Tensor a, float c) {
        float[] x = a.data(), m = new float[x.length];
        for (int i = 0; i < x.length; i++) m[i] = x[i] < c ? 1f : 0f;
        return Tensor.wrap(m, a.shape());
    }

    /**
     * Binary cross-entropy on probabilities (PyTorch's binary_cross_entropy): each log is
     * clamped at −100 as PyTorch does, so p = 0 or 1 gives a finite loss.
     */
    public static Tensor bce(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        sameShape("binary_cross_entropy", input, target);
        for (float p : input.data()) {
            if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("binary_cross_entropy: input values must be in [0, 1], got " + p);
        }
        Tensor logP = Unary.clamp(Unary.log(input), -100f, Float.POSITIVE_INFINITY);
        Tensor log1mP = Unary.clamp(Unary.log(Arithmetic.addScalar(Arithmetic.mulScalar(input, -1f), 1f)), -100f, Float.POSITIVE_INFINITY);
        Tensor oneMinusT = Arithmetic.addScalar(Arithmetic.mulScalar(target, -1f), 1f);
        Tensor l = Arithmetic.mulScalar(Arithmetic.add(Arithmetic.mul(target, logP), Arithmetic.mul(oneMinusT, log1mP)), -1f);
        if (weight != null) l = Arithmetic.mul(l, weight);
        return reduce(l, reduction);
    }

    /**
     * BCE on logits, the stable form (PyTorch's binary_cross_entropy_with_logits):
     * (1 − t)·x + (1 + (pw − 1)·t)·(log(1 + e^(−|x|)) + max(−x, 0)).
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
        sameShape("binary_cross_entropy_with_logits", input, target);
        Tensor oneMinusT = Arithmetic.addScalar(Arithmetic.mulScalar(target, -1f), 1f);
        Tensor softplusNegAbs = Unary.log(Arithmetic.addScalar(Unary.exp(Arithmetic.mulScalar(Unary.abs(input), -1f)), 1f));
        Tensor logSigmoidNeg = Arithmetic.add(softplusNegAbs, Activations.relu(Arithmetic.mulScalar(input, -1f))); // −log σ(x)
        Tensor coef = posWeight == null ? null : Arithmetic.addScalar(Arithmetic.mul(Arithmetic.addScalar(posWeight, -1f), target), 1f);
        Tensor l = Arithmetic.add(Arithmetic.mul(oneMinusT, input), coef == null ? logSigmoidNeg : Arithmetic.mul(coef, logSigmoidNeg));
        if (weight != null) l = Arithmetic.mul(l, weight);
        return reduce(l, reduction);
    }

    /**
     * Kullback–Leibler divergence (PyTorch's kl_div): input holds log-probabilities; target
     * holds probabilities (or log-probabilities with {@code logTarget}). Pointwise
     * t·(log t − x), with 0 where t = 0. {@code batchMean} divides the sum by the batch size
     * (PyTorch's reduction='batchmean', the mathematically correct KL).
     */
    public static Tensor klDiv(Tensor input, Tensor target, boolean logTarget, Reduction reduction, boolean batchMean) {
        sameShape("kl_div", input, target);
        Tensor l;
        if (logTarget) {
            l = Arithmetic.mul(Unary.exp(target), Arithmetic.sub(target, input));
        } else {
            float[] t = target.data(), xlogy = new float[t.length];
            for (int i = 0; i < t.length; i++) xlogy[i] = t[i] == 0f ? 0f : (float) (t[i] * Math.log(t[i]));
            Tensor tConst = target.requiresGrad() ? target : target.detach();
            l = Arithmetic.sub(Tensor.wrap(xlogy, target.shape()), Arithmetic.mul(tConst, input));
        }
        if (batchMean) return Arithmetic.mulScalar(Reductions.sum(l), 1f / Math.max(1, input.size(0)));
        return reduce(l, reduction);
    }

    /**
     * Negative log-likelihood of log-probabilities [N, C] (PyTorch's nll_loss): −w[y]·x[n, y],
     * ignored targets contribute nothing; the mean divides by the summed weights of the rest.
     */
    public static Tensor nll(Tensor logProbs, int[] targetIndices, Tensor weight, int ignoreIndex, Reduction reduction) {
        int[] targets = targetIndices.clone();
        int[] s = logProbs.shape();
        if (s.length != 2 || targets.length != s[0]) {
            throw new IllegalArgumentException("nll_loss: expected input [N, C] and N targets, got " + Shape.str(s) + " and " + targets.length + " targets");
        }
        int n = s[0], c = s[1];
        float[] w = weights(new CrossEntropyOptions(weight, ignoreIndex, 0f, reduction), c);
        float[] x = logProbs.data();
        float[] perRow = new float[n];
        float[] coef = new float[n];
        double total = 0, wsum = 0;
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= c) throw new IllegalArgumentException("nll_loss: target " + t + " is out of range for " + c + " classes");
            coef[i] = w[t];
            perRow[i] = -w[t] * x[i * c + t];
            total += perRow[i];
            wsum += w[t];
        }
        Tensor out = switch (reduction) {
            case NONE -> Tensor.wrap(perRow, n);
            case SUM -> Tensor.scalar((float) total);
            case MEAN -> Tensor.scalar((float) (total / wsum));
        };
        if (!Autograd.needsGrad(logProbs)) return out;
        final double denom = wsum;
        return Autograd.record(out, new Node(logProbs) {
            {
                account(4L * n);
            }

            @Override
            public String name() {
                return "NllLossBackward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                float[] g = gOut.data(), gx = new float[n * c];
                for (int i = 0; i < n; i++) {
                    if (coef[i] == 0f) continue;
                    double a = switch (reduction) {
                        case NONE -> g[i];
                        case SUM -> g[0];
                        case MEAN -> g[0] / denom;
                    };
                    gx[i * c + targets[i]] = (float) (-a * coef[i]);
                }
                return new Tensor[] {Tensor.wrap(gx, n, c)};
            }
        });
    }
}
