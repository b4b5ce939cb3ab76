package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;

/** Binary cross-entropy on probabilities (PyTorch's nn.BCELoss). */
public final class BCELoss implements Loss {
    private final Tensor weight;
    private final Reduction reduction;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        this.weight = weight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.bce(input, target, weight, reduction);
    }
}
