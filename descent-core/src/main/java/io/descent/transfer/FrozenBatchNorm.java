package io.descent.transfer;

import io.descent.nn.BatchNorm;
import io.descent.nn.Intermediates;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;

/**
 * A batch-norm layer pinned to eval mode: it normalizes with the running statistics and
 * never updates them, whatever {@code train()} is called with (torchvision's
 * {@code FrozenBatchNorm2d} plays the same role in its detection models).
 *
 * <p>Why a module swap rather than a callback: the {@link io.descent.train.Trainer} calls
 * {@code model.train()} right after {@code onEpochStart} and again after every mid-epoch
 * evaluation, so a hook would have to chase every such call. Registering the wrapped layer's
 * own tensors under the same names keeps the state_dict (and checkpoints) unchanged, and the
 * running statistics of a frozen backbone stay exactly as pretrained — with few-shot data, new
 * batch statistics would otherwise drift them away from what the later layers expect.
 */
public final class FrozenBatchNorm extends Module implements Intermediates.Known {
    private final BatchNorm inner;

    public FrozenBatchNorm(BatchNorm inner) {
        this.inner = inner;
        if (inner.weight != null) registerParameter("weight", inner.weight).requiresGrad(false);
        if (inner.bias != null) registerParameter("bias", inner.bias).requiresGrad(false);
        if (inner.runningMean != null) registerBuffer("running_mean", inner.runningMean);
        if (inner.runningVar != null) registerBuffer("running_var", inner.runningVar);
        if (inner.numBatchesTracked != null) registerBuffer("num_batches_tracked", inner.numBatchesTracked);
        inner.eval();
    }

    /** The wrapped layer (what {@link Freezing#thawBatchNorm} puts back). */
    public BatchNorm inner() {
        return inner;
    }

    @Override
    public Tensor forward(Tensor x) {
        inner.eval();
        return inner.forward(x);
    }

    @Override
    protected String describe() {
        return "num_features=" + inner.numFeatures + ", eps=" + inner.eps;
    }
}
