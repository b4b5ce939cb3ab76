package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;

/**
 * KL divergence of log-probability inputs from a target distribution (PyTorch's nn.KLDivLoss).
 * Use {@link #batchMean()} for the true KL per example (PyTorch's reduction='batchmean').
 */
public final class KLDivLoss implements Loss {
    private final Reduction reduction;
    private final boolean batchMean, logTarget;

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        this(reduction, false, logTarget);
    }

    private KLDivLoss(Reduction reduction, boolean batchMean, boolean logTarget) {
        this.reduction = reduction;
        this.batchMean = batchMean;
        this.logTarget = logTarget;
    }

    public static KLDivLoss batchMean() {
        return new KLDivLoss(Reduction.SUM, true, false);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.klDiv(input, target, logTarget, reduction, batchMean);
    }
}
