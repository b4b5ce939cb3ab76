package io.descent.data.transforms;

import io.descent.data.Batch;
import io.descent.data.BatchTransform;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/**
 * CutMix (Yun et al. 2019) as torchvision's {@code v2.CutMix(alpha=1.0, num_classes)}: one
 * {@code λ ~ Beta(α, α)} per batch and one box, centred at a uniform pixel with half-sides
 * {@code int(½·√(1−λ)·W)} and {@code int(½·√(1−λ)·H)}, clipped to the image; inside the box
 * every row takes the pixels of the previous row (the batch rolled by one). λ is then set to
 * the share of the image left outside the box, {@code 1 − box area / (H·W)}, and the soft
 * targets mix the two one-hot labels with it, so each row sums to 1.
 */
public final class CutMix implements BatchTransform {
    private final double alpha;
    private final int numClasses;

    public CutMix(double alpha, int numClasses) {
        if (!(alpha > 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException("CutMix: alpha must be positive, got " + alpha);
        if (numClasses < 1) throw new IllegalArgumentException("CutMix: numClasses must be >= 1, got " + numClasses);
        this.alpha = alpha;
        this.numClasses = numClasses;
    }

    @Override
    public Batch apply(Batch b, Rng rng) {
        int[] s = b.inputs().shape();
        if (s.length != 4) throw new IllegalArgumentException("CutMix: expects image batches [N, C, H, W], got " + java.util.Arrays.toString(s));
        float[] p = SoftTargets.of(b, numClasses, "CutMix");
        int n = s[0], c = s[1], h = s[2], w = s[3];
        double lambda = Distributions.beta(rng, alpha, alpha);
        int cx = rng.nextInt(w), cy = rng.nextInt(h);
        double r = 0.5 * Math.sqrt(1.0 - lambda);
        int halfW = (int) (r * w), halfH = (int) (r * h);
        int x1 = Math.max(cx - halfW, 0), y1 = Math.max(cy - halfH, 0);
        int x2 = Math.min(cx + halfW, w), y2 = Math.min(cy + halfH, h);
        float[] x = b.inputs().data(), out = x.clone();
        int per = c * h * w;
        for (int i = 0; i < n; i++) {
            int prev = (i + n - 1) % n;
            for (int ch = 0; ch < c; ch++) {
                for (int y = y1; y < y2; y++) {
                    int row = ch * h * w + y * w;
                    System.arraycopy(x, prev * per + row + x1, out, i * per + row + x1, x2 - x1);
                }
            }
        }
        float adjusted = (float) (1.0 - (double) (x2 - x1) * (y2 - y1) / ((double) h * w));
        float[] targets = SoftTargets.mixWithPrevious(p, n, numClasses, adjusted);
        return b.withMixed(Tensor.wrap(out, s), Tensor.wrap(targets, n, numClasses));
    }
}
