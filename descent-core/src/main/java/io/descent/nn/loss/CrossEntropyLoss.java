package io.descent.nn.loss;

import io.descent.ops.Losses;
import io.descent.ops.Reduction;
import io.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Softmax cross-entropy from logits (PyTorch's nn.CrossEntropyLoss): class weights,
 * ignore_index, label smoothing, reduction. The target is either class indices [N] or
 * class probabilities of the input's shape (mixup, CutMix).
 */
public final class CrossEntropyLoss implements Loss {
    private final Losses.CrossEntropyOptions options;

    public CrossEntropyLoss() {
        this(null, -100, 0f, Reduction.MEAN);
    }

    public CrossEntropyLoss(Tensor weight, int ignoreIndex, float labelSmoothing, Reduction reduction) {
        this.options = new Losses.CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        if (Arrays.equals(input.shape(), target.shape())) return Losses.crossEntropy(input, target, options);
        return Losses.crossEntropy(input, Loss.classIndices("cross_entropy", target), options);
    }
}
