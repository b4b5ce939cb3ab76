package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;

/** Binary cross-entropy on logits, numerically stable (PyTorch's nn.BCEWithLogitsLoss). */
public final class BCEWithLogitsLoss implements Loss {
    private final Tensor weight, posWeight;
    private final Reduction reduction;

    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        this.weight = weight;
        this.posWeight = posWeight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, weight, posWeight, reduction);
    }
}
