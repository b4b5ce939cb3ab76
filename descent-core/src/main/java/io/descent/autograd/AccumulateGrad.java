package io.descent.autograd;

import io.descent.tensor.Tensor;

/** The tape's sink for a leaf tensor: adds the incoming gradient into {@code leaf.grad()}. */
public final class AccumulateGrad extends Node {
    final Tensor leaf;

    public AccumulateGrad(Tensor leaf) {
        super();
        this.leaf = leaf;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        leaf.accumulateGrad(gradOutput);
        return new Tensor[0];
    }
}
