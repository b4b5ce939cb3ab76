package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;

/** Huber loss (PyTorch's nn.HuberLoss, delta = 1 by default). */
public final class HuberLoss implements Loss {
    private final float delta;
    private final Reduction reduction;

    public HuberLoss() {
        this(1f, Reduction.MEAN);
    }

    public HuberLoss(float delta, Reduction reduction) {
        if (!(delta > 0)) throw new IllegalArgumentException("HuberLoss: delta must be positive, got " + delta);
        this.delta = delta;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.huber(input, target, delta, reduction);
    }
}
