package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;

/** Absolute error (PyTorch's nn.L1Loss). */
public final class L1Loss implements Loss {
    private final Reduction reduction;

    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1(input, target, reduction);
    }
}
