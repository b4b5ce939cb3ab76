package io.descent.nn;

import io.descent.ops.ShapeOps;
import io.descent.tensor.Tensor;

/** Flattens dimensions start..end (PyTorch's nn.Flatten, default 1..-1). */
public class Flatten extends Module {
    private final int start, end;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int start, int end) {
        this.start = start;
        this.end = end;
    }

    @Override
    public Tensor forward(Tensor x) {
        return ShapeOps.flatten(x, start, end);
    }

    @Override
    protected String describe() {
        return "start_dim=" + start + ", end_dim=" + end;
    }
}
