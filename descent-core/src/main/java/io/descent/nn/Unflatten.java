package io.descent.nn;

import io.descent.tensor.Tensor;

/** Reshapes [N, F] to [N, ...shape] (PyTorch's nn.Unflatten on dim 1). */
public class Unflatten extends Module {
    private final int[] shape;

    public Unflatten(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = new int[shape.length + 1];
        s[0] = x.size(0);
        System.arraycopy(shape, 0, s, 1, shape.length);
        return x.reshape(s);
    }

    @Override
    protected String describe() {
        return java.util.Arrays.toString(shape);
    }
}
