package io.descent.data.transforms;

import io.descent.data.Batch;
import io.descent.data.BatchTransform;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/**
 * mixup (Zhang et al. 2018) as torchvision's {@code v2.MixUp(alpha=1.0, num_classes)}: one
 * {@code λ ~ Beta(α, α)} per batch; row i becomes {@code λ · x[i] + (1 − λ) · x[i − 1]} (the
 * batch rolled by one, which pairs random examples because the loader shuffles) and its soft
 * target the same mix of the two one-hot labels, so each row sums to 1.
 */
public final class Mixup implements BatchTransform {
    private final double alpha;
    private final int numClasses;

    public Mixup(double alpha, int numClasses) {
        if (!(alpha > 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException("Mixup: alpha must be positive, got " + alpha);
        if (numClasses < 1) throw new IllegalArgumentException("Mixup: numClasses must be >= 1, got " + numClasses);
        this.alpha = alpha;
        this.numClasses = numClasses;
    }

    @Override
    public Batch apply(Batch b, Rng rng) {
        float[] p = SoftTargets.of(b, numClasses, "Mixup");
        float lambda = (float) Distributions.beta(rng, alpha, alpha);
        int n = b.size();
        float[] x = b.inputs().data();
        int per = x.length / n;
        float[] mixed = SoftTargets.mixWithPrevious(x, n, per, lambda);
        float[] targets = SoftTargets.mixWithPrevious(p, n, numClasses, lambda);
        return b.withMixed(Tensor.wrap(mixed, b.inputs().shape()), Tensor.wrap(targets, n, numClasses));
    }
}
