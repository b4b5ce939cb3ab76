package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;

/** Negative log-likelihood of log-probabilities (PyTorch's nn.NLLLoss). */
public final class NLLLoss implements Loss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;

    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nll(input, Loss.classIndices("nll_loss", target), weight, ignoreIndex, reduction);
    }
}
