package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;

/** Smooth L1 (PyTorch's nn.SmoothL1Loss, beta = 1 by default). */
public final class SmoothL1Loss implements Loss {
    private final float beta;
    private final Reduction reduction;

    public SmoothL1Loss() {
        this(1f, Reduction.MEAN);
    }

    public SmoothL1Loss(float beta, Reduction reduction) {
        if (!(beta >= 0)) throw new IllegalArgumentException("SmoothL1Loss: beta must be >= 0, got " + beta);
        this.beta = beta;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.smoothL1(input, target, beta, reduction);
    }
}
