package io.descent.detect;

import io.descent.ops.ShapeOps;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * CenterNet's training loss (Zhou et al., 2019, eq. 1–4, and its code's {@code CtdetLoss}):
 * <pre>
 *   L = L_k + λ_size · L_size + λ_off · L_off        (λ_size = 0.1, λ_off = 1)
 *   L_k    = −1/N Σ_xyc { (1 − p)^α log p                 where Y = 1
 *                        { (1 − Y)^β p^α log(1 − p)        otherwise     (α = 2, β = 4)
 *   L_size = Σ_centres |ŝ − s| / (2N),   L_off = Σ_centres |ô − o| / (2N)
 * </pre>
 * p = sigmoid(logit) clamped into [10⁻⁴, 1 − 10⁻⁴] (as CenterNet's code, so log p stays
 * finite), Y the Gaussian {@link CenterNetTargets#heatmap}, N the number of objects (centre
 * cells with Y = 1 for L_k: without any, L_k is the negative term alone). The size and offset
 * terms are L1 over the two coordinates of each centre, divided by 2N + 10⁻⁴ as
 * {@code RegL1Loss} divides by the mask's sum. Built from differentiable ops, so its gradient
 * is autograd's.
 */
public record CenterNetLoss(float sizeWeight, float offsetWeight) {
    private static final float CLAMP = 1e-4f;

    public CenterNetLoss {
        if (!(sizeWeight >= 0 && Float.isFinite(sizeWeight))) throw new IllegalArgumentException("CenterNetLoss: size weight must be >= 0, got " + sizeWeight);
        if (!(offsetWeight >= 0 && Float.isFinite(offsetWeight))) throw new IllegalArgumentException("CenterNetLoss: offset weight must be >= 0, got " + offsetWeight);
    }

    /** CenterNet's weights: 0.1 on sizes, 1 on offsets. */
    public CenterNetLoss() {
        this(0.1f, 1f);
    }

    /** The three terms and their weighted sum (a scalar tensor with autograd's history). */
    public record Terms(Tensor total, Tensor heatmap, Tensor size, Tensor offset) {}

    /** The loss of {@code output} [N, C + 4, H, W] (a {@link io.descent.models.CenterNet}'s) against {@code t}. */
    public Terms terms(Tensor output, CenterNetTargets t) {
        int c = t.classes();
        int[] expected = {t.batch(), c + 4, t.height(), t.width()};
        if (!java.util.Arrays.equals(output.shape(), expected)) {
            throw new IllegalArgumentException("CenterNetLoss: output " + Shape.str(output.shape()) + " does not match the targets' " + Shape.str(expected)
                    + " (batch, classes + 4, height, width)");
        }
        int n = t.batch(), h = t.height(), w = t.width(), plane = h * w;
        float[] gt = t.heatmap(), pos = new float[gt.length], negWeight = new float[gt.length];
        int positives = 0;
        for (int i = 0; i < gt.length; i++) {
            if (gt[i] == 1f) {
                pos[i] = 1;
                positives++;
            } else {
                double q = 1 - gt[i];
                negWeight[i] = (float) (q * q * q * q);
            }
        }
        int[] hs = {n, c, h, w};
        Tensor p = ShapeOps.slice(output, 1, 0, c, 1).sigmoid().clamp(CLAMP, 1 - CLAMP);
        Tensor oneMinusP = p.neg().add(1f);
        Tensor posTerm = p.log().mul(oneMinusP.pow(2f)).mul(Tensor.wrap(pos, hs)).sum();
        Tensor negTerm = oneMinusP.log().mul(p.pow(2f)).mul(Tensor.wrap(negWeight, hs)).sum();
        Tensor heat = positives == 0 ? negTerm.neg() : posTerm.add(negTerm).mul(-1f / positives);

        float[] m2 = new float[n * 2 * plane];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.mask(), i * plane, m2, i * 2 * plane, plane);
            System.arraycopy(t.mask(), i * plane, m2, (i * 2 + 1) * plane, plane);
        }
        float norm = 1f / (2f * t.objects() + 1e-4f);
        float[] sizeT = new float[n * 2 * plane], offT = new float[n * 2 * plane];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.regression(), i * 4 * plane, sizeT, i * 2 * plane, 2 * plane);
            System.arraycopy(t.regression(), (i * 4 + 2) * plane, offT, i * 2 * plane, 2 * plane);
        }
        int[] rs = {n, 2, h, w};
        Tensor mask = Tensor.wrap(m2, rs);
        Tensor size = ShapeOps.slice(output, 1, c, c + 2, 1).sub(Tensor.wrap(sizeT, rs)).abs().mul(mask).sum().mul(norm);
        Tensor offset = ShapeOps.slice(output, 1, c + 2, c + 4, 1).sub(Tensor.wrap(offT, rs)).abs().mul(mask).sum().mul(norm);
        Tensor total = heat.add(size.mul(sizeWeight)).add(offset.mul(offsetWeight));
        return new Terms(total, heat, size, offset);
    }

    /** The weighted sum alone. */
    public Tensor loss(Tensor output, CenterNetTargets t) {
        return terms(output, t).total();
    }
}
