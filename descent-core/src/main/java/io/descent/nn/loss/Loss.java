package io.descent.nn.loss;

import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * A loss function of a prediction and a target (PyTorch's nn loss modules). Class-index
 * targets are passed as a tensor of whole numbers ([N]); {@link #classIndices} converts them.
 */
public interface Loss {
    Tensor forward(Tensor input, Tensor target);

    /** A [N] tensor of whole-number class indices as ints, refusing fractional values. */
    static int[] classIndices(String op, Tensor target) {
        if (target.dim() != 1) throw new IllegalArgumentException(op + ": class-index targets must be [N], got " + Shape.str(target.shape()));
        float[] t = target.data();
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = (int) t[i];
            if (out[i] != t[i]) throw new IllegalArgumentException(op + ": target " + t[i] + " at " + i + " is not a class index");
        }
        return out;
    }
}
